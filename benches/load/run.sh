#!/usr/bin/env bash
# Load test of the service on loopback, bounded in time: constant-rate diagnoses (hey -q) and
# closed-loop maximum throughput, for the map layer and the diagnosis endpoints.
# Usage: benches/load/run.sh [seconds per run, default 20] [rate per second, default 500]
# Needs `hey` (Debian package) and a release build; starts and stops its own server.
# CPTS_ATLAS_BIN=path runs that binary instead of building target/release/cpts-atlas.
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-20}
rate=${2:-500}
command -v hey >/dev/null || { echo "install hey: apt-get install hey" >&2; exit 1; }
bin=${CPTS_ATLAS_BIN:-}
if [ -z "$bin" ]; then cargo build --release --quiet; bin=target/release/cpts-atlas; fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
RUST_LOG=warn "$bin" serve --port "$port" &
server=$!
trap 'kill $server 2>/dev/null' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/api/health" >/dev/null && break; sleep 0.1; done
base="http://127.0.0.1:$port"
tmp=$(mktemp -d)
drawn=$(cat benches/fixtures/drawn-50.geojson)
echo "{\"geometry\":$drawn}" > "$tmp/drawn.json"
codes=$(curl -sf -XPOST "$base/api/diagnosis?territory=none" -H 'content-type: application/json' \
  -d @"$tmp/drawn.json" | python3 -c 'import json,sys; print(json.dumps({"communes":[c["code"] for c in json.load(sys.stdin)["communes"][:50]]}))')
echo "$codes" > "$tmp/codes.json"
echo "server resident memory after start: $(( $(ps -o rss= -p $server) / 1024 )) MB"

# hey paces each worker with its own ticker, all started together: -c N -q R sends bursts of N
# requests every 1/R s. 10 workers (bursts of 10 every 20 ms at 500/s) is the sustained-rate
# scenario; 50 workers (bursts of 50 every 100 ms) is the bursty one.
workers=10
per_worker=$(( rate / workers ))
run() { # name, extra hey args...
  local name=$1; shift
  echo "== $name"
  hey -z "${secs}s" "$@" | grep -E "Requests/sec|Status code|\[[0-9]+\]|  (10|50|90|95|99)% in|Slowest|Fastest"
  echo "   server resident memory: $(( $(ps -o rss= -p $server) / 1024 )) MB"
}
run "diagnosis, 50 codes, ${rate}/s constant rate" -c $workers -q $per_worker -m POST -T application/json \
  -D "$tmp/codes.json" "$base/api/diagnosis?territory=none"
run "diagnosis, drawn polygon over 56 communes, ${rate}/s constant rate" -c $workers -q $per_worker -m POST \
  -T application/json -D "$tmp/drawn.json" "$base/api/diagnosis?territory=none"
run "diagnosis, drawn polygon, ${rate}/s in bursts of 50 every 100 ms" -c 50 -q $(( rate / 50 )) -m POST \
  -T application/json -D "$tmp/drawn.json" "$base/api/diagnosis?territory=none"
run "diagnosis, drawn polygon, maximum throughput (16 connections)" -c 16 -m POST -T application/json \
  -D "$tmp/drawn.json" "$base/api/diagnosis?territory=none"
run "diagnosis, 50 codes with full GeoJSON, maximum throughput (16 connections)" -c 16 -m POST \
  -T application/json -D "$tmp/codes.json" "$base/api/diagnosis"
run "communes layer, Bouches-du-Rhone at zoom 9, maximum throughput (16 connections, gzip)" -c 16 \
  -H 'Accept-Encoding: gzip' "$base/api/communes?bbox=4.2,43.1,5.9,43.95&zoom=9"
rm -rf "$tmp"
