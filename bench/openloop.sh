#!/usr/bin/env bash
# Gateway overhead at fixed request rates (open loop, no coordinated omission): direct, nginx, Meridian.
# As root this script installs Debian's nginx for the proxy baseline if it is missing.
# Usage: bench/openloop.sh [seconds-per-phase=10] [upstream-ms=0] [rates...=1000 5000]
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_need_nginx
bench_run dev.meridian.bench.OpenLoopOverhead "$@"
