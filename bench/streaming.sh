#!/usr/bin/env bash
# Streaming time to first byte, direct to a streaming simulator endpoint vs through Meridian, in one run.
# Usage: bench/streaming.sh [requests-per-target=200] [ttft-ms=50]
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_run dev.meridian.bench.StreamingFirstByte "$@"
