#!/usr/bin/env bash
# Gateway overhead at fixed request rates (open loop, no coordinated omission): direct, nginx, Meridian.
# As root this script installs Debian's nginx for the proxy baseline if it is missing.
# Usage: bench/openloop.sh [seconds-per-phase=10] [upstream-ms=0] [rates...=1000 5000]
set -euo pipefail
if [ ! -x /usr/sbin/nginx ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing nginx from Debian's packages for the proxy baseline"
    apt-get install -y -qq nginx >/dev/null
fi
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_run dev.meridian.bench.OpenLoopOverhead "$@"
