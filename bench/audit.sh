#!/usr/bin/env bash
# The cost of durable audit events: closed-loop writers appending to the embedded store, 1..64 at a time.
# Usage: bench/audit.sh [seconds-per-phase=5] [writers...=1 4 16 64]
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_run dev.meridian.bench.AuditCommitCost "$@"
