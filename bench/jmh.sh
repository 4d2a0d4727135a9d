#!/usr/bin/env bash
# JMH micro-benchmarks (routing decision, destination computation) with the allocation profiler.
# Usage: bench/jmh.sh [JMH args, e.g. RouterBenchmark]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/select-jdk.sh"
meridian_select_jdk
(cd "$ROOT" && ./mvnw -B -q -DskipTests install)
exec "$JAVA_HOME/bin/java" -jar "$ROOT/meridian-bench/target/meridian-bench.jar" -prof gc "$@"
