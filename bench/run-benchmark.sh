#!/usr/bin/env bash
# Builds the project (compiles, never installs: ~/.m2 stays as it is) and runs one benchmark program
# (a main class of backstop-server's tests) on a JDK 21+, with this checkout's modules' classes ahead
# of the jars of the test class path. Usage: bench/run-benchmark.sh SimpleClassName [arguments]
# BENCH_JAVA_OPTS adds JVM options, e.g. -Dbackstop.backup.quick-poll=PT0.05S for Backstop's settings.
set -euo pipefail
cd "$(dirname "$0")/.."
java=""
for home in /usr/lib/jvm/*; do
  v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release" 2>/dev/null || true)
  if [ -n "$v" ] && [ "$v" -ge 21 ]; then java="$home/bin/java"; fi
done
[ -n "$java" ] || { echo "no JDK 21+ under /usr/lib/jvm" >&2; exit 1; }
main="$1"; shift
offline="${BENCH_MAVEN_OFFLINE:--o}"
if [ -z "${BENCH_SKIP_BUILD:-}" ]; then
  # What the test bed launches (Camunda, OpenSearch, S3Proxy) is put in place at prepare-package.
  [ -d backstop-testbed-runtime/target/testbed ] || mvn $offline -q -pl backstop-testbed-runtime package -DskipTests
  mvn $offline -q -pl backstop-server -am test-compile
  mvn $offline -q -pl backstop-server dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
fi
modules="backstop-server/target/test-classes:backstop-server/target/classes"
for m in backstop-core backstop-camunda backstop-storage backstop-testbed; do
  modules="$modules:$m/target/classes"
done
modules="$modules:backstop-core/target/test-classes"
exec "$java" ${BENCH_JAVA_OPTS:-} -cp "$modules:$(cat backstop-server/target/bench-classpath.txt)" "dev.backstop.server.bench.$main" "$@"
