#!/usr/bin/env bash
# Gateway overhead: the same Converse load direct to a bare simulator endpoint and through Meridian, in one run.
# The nginx baseline (a plain reverse proxy in front of the same bare endpoint) runs when Debian's nginx is
# installed; as root this script installs it.
# Usage: bench/overhead.sh [concurrency=32] [seconds-per-phase=10] [rounds=2] [upstream-ms=20]
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_need_nginx
bench_run dev.meridian.bench.GatewayOverhead "$@"
