#!/usr/bin/env bash
# Times one backup on the test bed through Backstop against the documented procedure run by hand
# (the baseline), and how long exporting stays paused in each. Usage: bench/backup-timing.sh [rounds]
exec "$(dirname "$0")/run-benchmark.sh" BackupTimingBenchmark "${1:-5}"
