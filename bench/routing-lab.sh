#!/usr/bin/env bash
# The routing lab over every shipped scenario: one HTML report and JSON summary per scenario under lab/,
# and the Markdown tables printed for docs/routing.md.
# Usage: bench/routing-lab.sh [scenario ...]   (default: all shipped scenarios)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
scenarios=("$@")
if [ ${#scenarios[@]} -eq 0 ]; then
    scenarios=(eu-steady eu-peak-frankfurt-saturated eu-outage global-us-peak eu-flapping eu-gateway-pool)
fi
status=0
for s in "${scenarios[@]}"; do
    "$ROOT/meridian" sim run "$s" --out "$ROOT/lab/$s" || status=$?
    echo
done
exit $status
