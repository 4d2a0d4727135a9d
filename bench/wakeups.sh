#!/usr/bin/env bash
# Wake-ups and socket calls per request of each proxy in bench/proxy.sh's open loop: while a proxy's own phase runs
# (30 s at the given rate; measured for 20 s from 4 s in), `perf stat` counts its context switches and its epoll,
# read/write, send/receive and futex calls, and /proc its threads' context switches by thread name. Tells whether a
# proxy's added latency at a moderate rate comes from more wake-ups on its path or from the CPU each one spends.
# Usage: bench/wakeups.sh [RATE=1000] [TARGETS=direct,nginx,netty-proxy,armeria-proxy,meridian-eu-profile]
#        (direct first; one meridian-* target; JAVA_TOOL_OPTIONS=-Dmeridian.bench.auditSync=os as for proxy.sh)
# As root it installs Debian's linux-perf if perf is missing; perf must be allowed to count (root, or a low
# kernel.perf_event_paranoid).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/bench/lib.sh"
bench_need_package /usr/bin/perf linux-perf "for counting system calls"
RATE="${1:-1000}"
TARGETS="${2:-direct,nginx,netty-proxy,armeria-proxy,meridian-eu-profile}"
SECONDS_PER_PHASE=30
MEASURED=20
LOG="$ROOT/target/wakeups-run.log"
mkdir -p "$ROOT/target"
: > "$LOG"
EVENTS="context-switches"
for call in epoll_wait epoll_pwait epoll_pwait2 read readv write writev recvfrom sendto sendmsg futex; do
    EVENTS+=",syscalls:sys_enter_$call"
done

# pid_of TARGET: the process serving TARGET (nginx: its worker).
pid_of() {
    case "$1" in
        nginx) pgrep -f "nginx: worker" -n ;;
        netty-proxy) jps -l | awk '/NettyProxy/ {print $1; exit}' ;;
        armeria-proxy) jps -l | awk '/ArmeriaProxy/ {print $1; exit}' ;;
        meridian-*) jps -l | awk '/MeridianServer/ {print $1; exit}' ;;
    esac
}

# thread_switches PID: "thread-name switches" per live thread (names cut to 15 characters by the kernel).
thread_switches() {
    for task in /proc/"$1"/task/*; do
        printf '%s %s\n' "$(tr ' ' '_' < "$task/comm")" \
            "$(awk '/ctxt_switches/ {s += $2} END {print s}' "$task/status" 2>/dev/null || echo 0)"
    done | awk '{c[$1] += $2} END {for (k in c) print k, c[k]}' | sort
}

JAVA_TOOL_OPTIONS="${JAVA_TOOL_OPTIONS:-} -Dmeridian.bench.users=0 -Dmeridian.bench.openRounds=1 -Dmeridian.bench.targets=$TARGETS" \
    timeout 1800 "$ROOT/bench/proxy.sh" "$SECONDS_PER_PHASE" 0 "$RATE" > "$LOG" 2>&1 &
RUN=$!
IFS=, read -r -a NAMES <<< "$TARGETS"
REQUESTS=$((RATE * MEASURED))
for ((i = 1; i < ${#NAMES[@]}; i++)); do
    previous="${NAMES[i - 1]}"
    # the previous target's row is printed when its phase ends, so this target's phase has just begun
    until grep -q "^$previous  *$RATE  " "$LOG"; do
        kill -0 "$RUN" 2>/dev/null || { echo "the benchmark ended early: $LOG"; exit 1; }
        sleep 0.2
    done
    pid="$(pid_of "${NAMES[i]}")"
    if [ -z "$pid" ]; then
        echo "== ${NAMES[i]}: no process of its own to count (direct, or not running)"
        continue
    fi
    sleep 4
    before="$(thread_switches "$pid")"
    echo "== ${NAMES[i]} (pid $pid): per request, $MEASURED s at $RATE requests/s"
    perf stat -x, -e "$EVENTS" -p "$pid" -- sleep "$MEASURED" 2>&1 \
        | awk -F, -v n="$REQUESTS" '$1 ~ /^[0-9]+$/ && $1 > 0 {sub(/syscalls:sys_enter_/, "", $3); printf "  %-18s %.2f\n", $3, $1 / n}'
    join <(echo "$before") <(thread_switches "$pid") \
        | awk -v n="$REQUESTS" '$3 - $2 > n / 100 {printf "  switches, thread %-15s %.2f\n", $1, ($3 - $2) / n}'
done
wait "$RUN" || true
grep -v "Picked up" "$LOG" | grep -A"${#NAMES[@]}" "^target"
