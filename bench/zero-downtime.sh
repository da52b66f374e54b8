#!/usr/bin/env bash
# Process instances created and completed per second by a steady load on the test bed (creators
# start the order process through Zeebe's REST API, workers complete its user-task jobs), in three
# phases of one run: no backups, Backstop's backups, the documented script's backups (back to back,
# or both started at the same cadence); plus the load's failed requests per phase.
# Usage: bench/zero-downtime.sh [seconds per phase, 45] [repetitions, 1] [creators, 4] [workers, 2]
#        [cadence in seconds, 0: back to back]
exec "$(dirname "$0")/run-benchmark.sh" ZeroDowntimeBenchmark "${1:-45}" "${2:-1}" "${3:-4}" "${4:-2}" "${5:-0}"
