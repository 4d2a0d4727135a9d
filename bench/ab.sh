#!/usr/bin/env bash
# An A/B of this checkout's gateway against another commit's, run both ways so that the slot cancels: bench/proxy.sh
# once with the other build as the variant, once with the other build in the first gateway's slot and this one as
# the variant. Each run's paired median (the variant's throughput over the first's, and its CPU per request minus the
# first's, taken within each round) is the slot's effect times (or plus) the builds' difference; two runs with the
# builds swapped give both apart: the builds' ratio is sqrt(a / b), the slot's sqrt(a * b), and likewise for CPU
# with half sums and differences. A single-direction A/B measured the slot at ~4 % of throughput (benchmarks.md,
# thirty-first pass), as much as the differences it was looking for.
# Usage: bench/ab.sh COMMIT [proxy.sh arguments...]    e.g. bench/ab.sh 3d9f8c2 10 0 1000   (~30 min)
#   JAVA_TOOL_OPTIONS as for bench/proxy.sh; defaults here: 64 users, 6 rounds, 1 open-loop round,
#   targets direct,nginx,meridian-eu-profile,meridian-variant. The other commit's gateway is started with this
#   checkout's benchmark configuration, so it must read the same YAML. Logs and jars: target/ab/.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ $# -lt 1 ]; then
    echo "usage: bench/ab.sh COMMIT [proxy.sh arguments...]" >&2
    exit 2
fi
COMMIT="$1"
shift
. "$ROOT/scripts/select-jdk.sh"
meridian_select_jdk
OUT="$ROOT/target/ab"
mkdir -p "$OUT"
WORKTREE="$(mktemp -d /tmp/meridian-ab-XXXXXX)"
git -C "$ROOT" worktree add --detach --force "$WORKTREE" "$COMMIT" >/dev/null
trap 'git -C "$ROOT" worktree remove --force "$WORKTREE"' EXIT
echo "building $COMMIT in $WORKTREE..."
# package, not install: the other build must not replace this checkout's modules in the local repository
(cd "$WORKTREE" && ./mvnw -B -q -DskipTests package)
cp "$WORKTREE/meridian-bench/target/meridian-bench.jar" "$OUT/other.jar"

DEFAULTS="-Dmeridian.bench.users=64 -Dmeridian.bench.rounds=6 -Dmeridian.bench.openRounds=1"
DEFAULTS+=" -Dmeridian.bench.targets=direct,nginx,meridian-eu-profile,meridian-variant"
OPTIONS="$DEFAULTS ${JAVA_TOOL_OPTIONS:-}"
echo "run 1 of 2: this build first, $COMMIT as the variant"
JAVA_TOOL_OPTIONS="$OPTIONS -Dmeridian.bench.variantClassPath=$OUT/other.jar" \
    "$ROOT/bench/proxy.sh" "$@" | tee "$OUT/this-first.log"
cp "$ROOT/meridian-bench/target/meridian-bench.jar" "$OUT/this.jar"
echo "run 2 of 2: $COMMIT first, this build as the variant"
JAVA_TOOL_OPTIONS="$OPTIONS -Dmeridian.bench.firstClassPath=$OUT/other.jar -Dmeridian.bench.variantClassPath=$OUT/this.jar" \
    "$ROOT/bench/proxy.sh" "$@" | tee "$OUT/other-first.log"

# "... paired by round: throughput [...] (median T), CPU per request [...] us (median C us); ..."
medians() {
    grep -h "paired by round" "$1" | tail -1 | sed -E 's/.*\(median ([0-9.]+)\).*\(median ([-+0-9.]+) us\).*/\1 \2/'
}
read -r T1 C1 <<<"$(medians "$OUT/this-first.log")"
read -r T2 C2 <<<"$(medians "$OUT/other-first.log")"
echo
echo "paired medians, variant against first: run 1 ($COMMIT as the variant) throughput ${T1}x, CPU ${C1} us;" \
    "run 2 (this build as the variant) ${T2}x, ${C2} us"
awk -v t1="$T1" -v c1="$C1" -v t2="$T2" -v c2="$C2" -v commit="$COMMIT" 'BEGIN {
    printf "this build against %s, the slot taken out: throughput %.3fx, CPU per request %+.1f us", commit, sqrt(t2 / t1), (c2 - c1) / 2
    printf " (the variant slot itself: %.3fx, %+.1f us)\n", sqrt(t1 * t2), (c1 + c2) / 2
}'
