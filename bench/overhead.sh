#!/usr/bin/env bash
# Gateway overhead: the same Converse load direct to a bare simulator endpoint and through Meridian, in one run.
# The nginx baseline (a plain reverse proxy in front of the same bare endpoint) runs when Debian's nginx is
# installed; as root this script installs it.
# Usage: bench/overhead.sh [concurrency=32] [seconds-per-phase=10] [rounds=2] [upstream-ms=20]
set -euo pipefail
if [ ! -x /usr/sbin/nginx ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing nginx from Debian's packages for the proxy baseline"
    apt-get install -y -qq nginx >/dev/null
fi
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_run dev.meridian.bench.GatewayOverhead "$@"
