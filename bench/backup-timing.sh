#!/usr/bin/env bash
# Times one backup on the test bed through Backstop against the documented procedure run by hand
# (the baseline), and how long exporting stays paused in each. Usage: bench/backup-timing.sh [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
java=""
for home in /usr/lib/jvm/*; do
  v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release" 2>/dev/null || true)
  if [ -n "$v" ] && [ "$v" -ge 21 ]; then java="$home/bin/java"; fi
done
[ -n "$java" ] || { echo "no JDK 21+ under /usr/lib/jvm" >&2; exit 1; }
mvn -q -DskipTests install
mvn -q -pl backstop-server dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
exec "$java" -cp "backstop-server/target/test-classes:backstop-server/target/classes:$(cat backstop-server/target/bench-classpath.txt)" \
  dev.backstop.server.bench.BackupTimingBenchmark "${1:-5}"
