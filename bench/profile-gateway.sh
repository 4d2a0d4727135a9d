#!/usr/bin/env bash
# Profiles the Meridian gateway process of bench/proxy.sh with async-profiler (CPU, kernel frames included) and
# writes one collapsed-stack file per process and 5 s into target/profile/ (gw-PID-TIME.collapsed), so warm-up,
# open loop and closed loop can be read apart; the plain Armeria proxy (target armeria-proxy) is profiled too, in
# files of its own process id. async-profiler comes from Maven Central (tools.profiler:async-profiler), its
# linux-x64 library is used as a JVM agent.
# Usage: bench/profile-gateway.sh [proxy.sh arguments...]   e.g. bench/profile-gateway.sh 10 0 3000
# Summaries: the files are "frame;frame;... count" lines (flame-graph input); the busiest frames:
#   cat target/profile/gw-*.collapsed | awk '{n=$NF; $NF=""; split($0,f,";"); c[f[length(f)]]+=n} END {for (k in c) print c[k], k}' | sort -rn | head
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VERSION=4.1
DIR="$ROOT/target/profile"
LIB="$DIR/async-profiler-$VERSION/linux-x64/libasyncProfiler.so"
mkdir -p "$DIR"
if [ ! -f "$LIB" ]; then
    (cd "$ROOT" && ./mvnw -B -q dependency:copy -Dartifact="tools.profiler:async-profiler:$VERSION" -DoutputDirectory="$DIR")
    mkdir -p "$DIR/async-profiler-$VERSION"
    (cd "$DIR/async-profiler-$VERSION" && unzip -q -o "$DIR/async-profiler-$VERSION.jar" 'linux-x64/*')
fi
rm -f "$DIR"/gw-*.collapsed
AGENT="-agentpath:$LIB=start,event=cpu,interval=997us,loop=5s,file=$DIR/gw-%p-%t.collapsed,collapsed"
JAVA_TOOL_OPTIONS="${JAVA_TOOL_OPTIONS:-} -Dmeridian.bench.gatewayJvmArgs=$AGENT" "$ROOT/bench/proxy.sh" "$@"
echo "profiles (one per 5 s of the gateway's life): $DIR/gw-*.collapsed"
