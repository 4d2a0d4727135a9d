#!/usr/bin/env bash
# Streaming time to first byte, direct to a streaming simulator endpoint vs through Meridian, in one run.
# Usage: bench/streaming.sh [requests-per-target=200] [ttft-ms=50]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/select-jdk.sh"
meridian_select_jdk
(cd "$ROOT" && ./mvnw -B -q -DskipTests install)
FLAGS=(--enable-native-access=ALL-UNNAMED -Xms1g -Xmx1g)
[ "$MERIDIAN_JDK_MAJOR" -ge 24 ] && FLAGS+=(--sun-misc-unsafe-memory-access=allow)
exec "$JAVA_HOME/bin/java" "${FLAGS[@]}" -cp "$ROOT/meridian-bench/target/meridian-bench.jar" \
    dev.meridian.bench.StreamingFirstByte "$@"
