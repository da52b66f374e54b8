#!/usr/bin/env bash
# Times one restore of the test bed per phase through Backstop against the documented restore steps
# run by hand as a plain bash script (the baseline), on the same cluster and backup in the same run.
# Usage: bench/restore-timing.sh [instances] [rounds]
exec "$(dirname "$0")/run-benchmark.sh" RestoreTimingBenchmark "${1:-200}" "${2:-1}"
