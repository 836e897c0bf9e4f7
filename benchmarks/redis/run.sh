#!/usr/bin/env bash
# The Redis layer benchmark: Switchboard's RedisChannelLayer against channels_redis 4 (Debian's python3-channels-redis,
# run with /usr/bin/python3), one after the other against the same redis-server, which this script starts on a free
# loopback port and stops. Workloads: send+receive pairs on one consumer channel; group send to 1, 100 and 1,000
# members spread over two layer instances (two processes' keys), each op ending when every member has its copy; and
# the end-to-end chat broadcast with each side as two server processes (the reference app, the Django peer).
# Prints a Markdown table (ops/s, p50/p99 per op, and the ratio) and writes it to benchmarks/results/redis-<time>.md.
# Usage: benchmarks/redis/run.sh [--quick]   (--quick: a fifth of the iterations, to check the script)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
for tool in /usr/bin/redis-server /usr/bin/python3; do
  [ -x "$tool" ] || { echo "run.sh: $tool is missing (apt-get install redis-server python3-channels-redis)" >&2; exit 1; }
done
/usr/bin/python3 -c "import channels_redis" 2>/dev/null || { echo "run.sh: python3-channels-redis is missing" >&2; exit 1; }

port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
workdir=$(mktemp -d)
/usr/bin/redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no --loglevel warning \
  --dir "$workdir" >"$workdir/redis.log" 2>&1 &
redis_pid=$!
cleanup() { kill "$redis_pid" 2>/dev/null || true; wait "$redis_pid" 2>/dev/null || true; rm -rf "$workdir"; }
trap cleanup EXIT
for _ in $(seq 100); do
  /usr/bin/redis-cli -p "$port" ping >/dev/null 2>&1 && break
  sleep 0.05
done
url="redis://127.0.0.1:$port"

dotnet build benchmarks/Switchboard.Redis.Benchmarks -c Release -nologo -v quiet >/dev/null
echo "run.sh: redis-server $(/usr/bin/redis-server --version | awk '{print $3}') on $url; $(nproc) cores" >&2
timeout 900 dotnet benchmarks/Switchboard.Redis.Benchmarks/bin/Release/net10.0/Switchboard.Redis.Benchmarks.dll "$url" "$@" >"$workdir/switchboard.jsonl"
timeout 1800 /usr/bin/python3 benchmarks/redis/channels_redis_bench.py "$url" "$@" >"$workdir/channels_redis.jsonl"

mkdir -p benchmarks/results
out="benchmarks/results/redis-$(date -u +%Y%m%dT%H%M%SZ).md"
/usr/bin/python3 - "$workdir/switchboard.jsonl" "$workdir/channels_redis.jsonl" <<'PY' | tee "$out"
import json, sys
ours = {r["workload"]: r for r in map(json.loads, open(sys.argv[1]))}
theirs = {r["workload"]: r for r in map(json.loads, open(sys.argv[2]))}
print("| workload | Switchboard ops/s | p50 / p99 (µs) | channels_redis ops/s | p50 / p99 (µs) | ratio |")
print("|---|---:|---:|---:|---:|---:|")
for name, a in ours.items():
    b = theirs[name]
    print(f"| {name} | {a['ops_per_s']:,.0f} | {a['p50_us']:,.0f} / {a['p99_us']:,.0f} | {b['ops_per_s']:,.0f} | "
          f"{b['p50_us']:,.0f} / {b['p99_us']:,.0f} | {a['ops_per_s'] / b['ops_per_s']:.1f}x |")
PY

# The end-to-end workload: the reference app and the Django peer each as two server processes on this redis-server,
# the room's readers spread over both, the sender on the first, run by the WebSocket benchmark harness.
if /usr/bin/python3 -c "import daphne" 2>/dev/null; then
  dotnet build samples/Chat -c Release -nologo -v quiet -clp:ErrorsOnly\;NoSummary
  dotnet build benchmarks/Switchboard.Benchmarks -c Release -nologo -v quiet -clp:ErrorsOnly\;NoSummary
  quick=()
  [[ " $* " == *" --quick "* ]] && quick=(--quick)
  if ! timeout 1800 dotnet benchmarks/Switchboard.Benchmarks/bin/Release/net10.0/Switchboard.Benchmarks.dll --targets chat,django \
    --only broadcast --layer "$url" --processes 2 --results "$workdir/broadcast" "${quick[@]}" >"$workdir/broadcast.log" 2>&1; then
    cat "$workdir/broadcast.log" >&2
    exit 1
  fi
  {
    echo
    echo "Chat broadcast across two server processes per target on this redis-server (the harness's broadcast workload):"
    echo
    awk '/^### broadcast: /{on=1} on{print; if ($0 == "" && ++blank == 2) exit}' "$workdir/broadcast/latest.md"
  } | tee -a "$out"
else
  echo "run.sh: python3-daphne is missing, so the two-process chat broadcast was skipped (apt-get install -y python3-daphne)" >&2
fi
echo "run.sh: written to $out" >&2
