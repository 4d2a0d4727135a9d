#!/usr/bin/env bash
# JMH micro-benchmarks (routing decision, destination computation, surface codecs, SigV4 verification) with the
# allocation profiler.
# Usage: bench/jmh.sh [JMH args, e.g. RouterBenchmark]
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_run org.openjdk.jmh.Main -prof gc "$@"
