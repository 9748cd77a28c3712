#!/usr/bin/env bash
# Frontend benchmark: echo engine (no token delay) behind the HTTP frontend in a child JVM, a
# streaming load generator at N concurrent requests in this one. Prints requests/s and the server's
# CPU per request and per streamed token.  Usage: scripts/bench-frontend.sh [concurrency=64] [warmup_s=5] [seconds=10]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${JAVA_HOME:-}" ] || ! grep -q 'JAVA_VERSION="25' "$JAVA_HOME/release" 2>/dev/null; then
  for d in /usr/lib/jvm/*; do
    if grep -q 'JAVA_VERSION="25' "$d/release" 2>/dev/null; then export JAVA_HOME="$d"; break; fi
  done
fi
cp_file="jynamo-frontend/target/bench-classpath.txt"
./mvnw -B -q -pl jynamo-frontend -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$PWD/$cp_file" -Dmdep.includeScope=test
cp="jynamo-frontend/target/test-classes:jynamo-frontend/target/classes:$(cat "$cp_file")"
exec "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
  --sun-misc-unsafe-memory-access=allow -cp "$cp" io.jynamo.frontend.bench.FrontendBench "$@"
