#!/usr/bin/env bash
# The keep-alive idle-close race, measured: a gateway in front of one HTTP/1.1 model server that closes idle
# connections after KEEPALIVE seconds (as vLLM's uvicorn does after 5 s), and WORKERS callers each sending a Converse
# about once per KEEPALIVE seconds (0.95-1.05x, so requests keep meeting connections the server is closing), for
# SECONDS. The model server is Python's http.server answering a fixed chat completion; the only allowed destination
# is its region, so a request the race breaks is a 503 rather than a failover. Prints the answers by HTTP status.
# Usage: bench/idle-close.sh [SECONDS=90] [WORKERS=4] [KEEPALIVE=1.0]
# MERIDIAN_ROOT=/path/to/another/checkout runs that checkout's gateway instead (e.g. a build before a fix).
set -euo pipefail
ROOT="${MERIDIAN_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
SECONDS_TO_RUN="${1:-90}"
WORKERS="${2:-4}"
KEEPALIVE="${3:-1.0}"
WORK="$(mktemp -d)"
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
UPSTREAM_PORT="$(free_port)"
GATEWAY_PORT="$(free_port)"

cat > "$WORK/upstream.py" <<'EOF'
import json, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = float(sys.argv[2])  # an idle kept-alive connection is closed after this

    def log_message(self, *args):
        pass

    def do_GET(self):  # /metrics: no vLLM gauges
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self):
        request = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        body = json.dumps({"id": "x", "object": "chat.completion", "created": 0, "model": request["model"],
                           "choices": [{"index": 0, "message": {"role": "assistant", "content": "hello"},
                                        "finish_reason": "stop"}],
                           "usage": {"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
EOF

cat > "$WORK/gateway.yaml" <<EOF
server: {port: $GATEWAY_PORT, bindAddress: 127.0.0.1, dataDirectory: "$WORK/data"}
upstreams:
  - {region: eu-central-1, model: "amazon.nova-2-lite-v1:0", provider: openai-compatible,
     baseUrl: "http://127.0.0.1:$UPSTREAM_PORT/v1", modelName: m}
EOF

python3 "$WORK/upstream.py" "$UPSTREAM_PORT" "$KEEPALIVE" &
PIDS+=($!)
"$ROOT/meridian" serve --config "$WORK/gateway.yaml" > "$WORK/gateway.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 120); do
    if python3 -c "import socket; socket.create_connection(('127.0.0.1', $GATEWAY_PORT), 1)" 2>/dev/null; then
        break
    fi
    sleep 1
done

python3 - "$GATEWAY_PORT" "$SECONDS_TO_RUN" "$WORKERS" "$KEEPALIVE" <<'EOF'
import collections, random, sys, threading, time, urllib.error, urllib.request

port, seconds, workers, keepalive = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
url = f"http://127.0.0.1:{port}/model/amazon.nova-2-lite-v1:0/converse"
body = b'{"messages":[{"role":"user","content":[{"text":"hi"}]}]}'
headers = {"Authorization": "Bearer meridian-demo-api-key", "Content-Type": "application/json"}
answers, lock = collections.Counter(), threading.Lock()

def caller():
    end = time.time() + seconds
    while time.time() < end:
        try:
            with urllib.request.urlopen(urllib.request.Request(url, body, headers), timeout=10) as r:
                status = r.status
        except urllib.error.HTTPError as e:
            status = e.code
        except OSError as e:
            status = type(e).__name__
        with lock:
            answers[status] += 1
        time.sleep(random.uniform(0.95, 1.05) * keepalive)

threads = [threading.Thread(target=caller) for _ in range(workers)]
for t in threads:
    t.start()
for t in threads:
    t.join()
total = sum(answers.values())
print(f"{total} requests, {workers} callers, upstream keep-alive {keepalive} s; answers by status: "
      + ", ".join(f"{k}: {v}" for k, v in sorted(answers.items(), key=str)))
EOF
