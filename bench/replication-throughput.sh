#!/usr/bin/env bash
# Replication throughput between two S3 endpoints (S3Proxy) against rclone copy --transfers 8 and a
# plain cp -r of the same bytes, in one run. Needs rclone (apt-get install rclone).
# Usage: bench/replication-throughput.sh [objects, 3000] [rounds, 2]
if ! command -v rclone >/dev/null; then
  echo "rclone is needed as the baseline: apt-get install -y rclone (Debian's package)" >&2
  exit 1
fi
exec "$(dirname "$0")/run-benchmark.sh" ReplicationThroughputBenchmark "${1:-3000}" "${2:-2}"
