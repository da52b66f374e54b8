#!/usr/bin/env bash
# Builds the project and runs one benchmark program (a main class of backstop-server's tests) on a
# JDK 21+. Usage: bench/run-benchmark.sh SimpleClassName [arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
java=""
for home in /usr/lib/jvm/*; do
  v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release" 2>/dev/null || true)
  if [ -n "$v" ] && [ "$v" -ge 21 ]; then java="$home/bin/java"; fi
done
[ -n "$java" ] || { echo "no JDK 21+ under /usr/lib/jvm" >&2; exit 1; }
main="$1"; shift
mvn -q -DskipTests install
mvn -q -pl backstop-server dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
exec "$java" -cp "backstop-server/target/test-classes:backstop-server/target/classes:$(cat backstop-server/target/bench-classpath.txt)" \
  "dev.backstop.server.bench.$main" "$@"
