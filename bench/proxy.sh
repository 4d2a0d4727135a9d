#!/usr/bin/env bash
# Meridian as a proxy, measured like nginx: direct, nginx and a Meridian gateway in its own JVM, all ending at the
# same OpenAI-compatible upstream over loopback; open loop; each proxy's own CPU per request and memory.
# The upstream replays answers recorded from the simulated model server at start (a fixed-latency upstream: upstream-ms,
# almost no CPU per answer); -Dmeridian.bench.upstream=simulator lets the simulator generate every answer instead.
# Targets: direct, nginx, meridian-in-region and meridian-eu-profile (OpenAI chat completions), meridian-converse and
# meridian-converse-sigv4 (Bedrock Converse through the same gateway, API key or SigV4; ConverseStream with
# stream=true); armeria-proxy: the HTTP stack's floor, a reverse proxy made of the gateway's Armeria server and client
# doing nothing else.
# Gateway data directories and other scratch files are deleted when the run ends.
# As root this script installs Debian's nginx for the proxy baseline if it is missing.
# Usage: bench/proxy.sh [seconds-per-phase=10] [upstream-ms=0] [rates...=1000 5000]
#        JAVA_TOOL_OPTIONS=-Dmeridian.bench.stream=true bench/proxy.sh ...   (SSE, time to first byte)
#        -Dmeridian.bench.rounds=4            closed loop repeated, gateways' order rotated one place each round; medians
#                                             and each round's ratio to nginx printed (use a multiple of the gateways)
#        -Dmeridian.bench.openRounds=2        each open-loop rate repeated, gateways' order rotated likewise
#        -Dmeridian.bench.targets=direct,...  only these targets
#        -Dmeridian.bench.warmup=20 -Dmeridian.bench.warmupMax=120 -Dmeridian.bench.settle=10  closed-loop warm-up (continued
#            until a proxy's CPU per request is steady), then unmeasured seconds at the first rate
#        -Dmeridian.bench.connections=128     at most 128 requests (so connections) in flight per target, as wrk2/h2load
#        -Dmeridian.bench.variant="OPTS"      A/B: a second gateway started with other JVM options
#        -Dmeridian.bench.variantClassPath=JAR  ... or from another build (an earlier commit's meridian-bench.jar)
#        -Dmeridian.bench.variantCalls=meridian-converse  ... called as that target is (default meridian-eu-profile)
#                                             and compared with it round by round after the closed loop's table
#        -Dmeridian.bench.firstClassPath=JAR  the first gateway from another build (bench/ab.sh runs an A/B both ways)
#        -Dmeridian.bench.upstreamProtocol=http1  the gateway speaks HTTP/1.1 to the upstream, as to vLLM (default auto: h2c)
#        -Dmeridian.bench.variantUpstreamProtocol=http1  ... the variant does (a variant even without other options)
#        -Dmeridian.bench.loadGenerator=wrk   wrk (Debian's, installed as root if missing) sends a closed loop instead,
#                                             -Dmeridian.bench.wrkConnections=1,64 connections, one thread
#        -Dmeridian.bench.gatewayJvmArgs="OPTS" JVM options for the gateway (e.g. a profiler agent; '|' separates)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_need_nginx
bench_need_wrk
bench_run dev.meridian.bench.ProxyOverhead "$@"
