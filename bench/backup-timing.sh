#!/usr/bin/env bash
# Times one backup of the test bed through Backstop against the documented procedure run as a plain
# sequential script polling once a second (the baseline), rounds alternating which goes first; for
# both, how long exporting stays paused and what is left of the total besides the components' own
# work (Backstop's overhead); every backup follows the same fresh load of process instances.
# Usage: bench/backup-timing.sh [rounds, 5] [instances started before each backup, 100]
exec "$(dirname "$0")/run-benchmark.sh" BackupTimingBenchmark "${1:-5}" "${2:-100}"
