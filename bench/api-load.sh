#!/usr/bin/env bash
# The read API under load: 10,000 clusters and 100,000 backups on the embedded default database and
# on an external PostgreSQL, in one run; p50/p90/p99/max and requests/s per endpoint and mixed.
# Usage: bench/api-load.sh [clients, 16] [window seconds, 15]
exec "$(dirname "$0")/run-benchmark.sh" ApiLoadBenchmark "${1:-16}" "${2:-15}"
