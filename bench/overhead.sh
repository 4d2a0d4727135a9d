#!/usr/bin/env bash
# Gateway overhead: the same Converse load direct to a bare simulator endpoint and through Meridian, in one run.
# Usage: bench/overhead.sh [concurrency=32] [seconds-per-phase=10] [rounds=2] [upstream-ms=20]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/select-jdk.sh"
meridian_select_jdk
(cd "$ROOT" && ./mvnw -B -q -DskipTests install)
FLAGS=(--enable-native-access=ALL-UNNAMED -Xms1g -Xmx1g)
[ "$MERIDIAN_JDK_MAJOR" -ge 24 ] && FLAGS+=(--sun-misc-unsafe-memory-access=allow)
exec "$JAVA_HOME/bin/java" "${FLAGS[@]}" -cp "$ROOT/meridian-bench/target/meridian-bench.jar" \
    dev.meridian.bench.GatewayOverhead "$@"
