#!/usr/bin/env bash
# A/B of connection cost: CPU per proxied connection (utime+stime from /proc) and conn/s for one or more
# frontproxy binaries, nginx and HAProxy, interleaved round by round against one upstream, medians printed. For hot-path
# changes: build the old and the new binary and compare them in one run (the machine drifts between runs).
# Usage: bench/ab-cps.sh [--seconds S] [--rounds N] FRONTPROXY_BINARY...
# Needs bench/loadgen built and nginx (stream module) and HAProxy installed: bench/run.sh does both.
set -euo pipefail
seconds=4 rounds=6
while [[ $# -gt 0 && "$1" == --* ]]; do
    case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
[[ $# -gt 0 ]] || { sed -n '2,6p' "$0" >&2; exit 2; }
bench=$(cd "$(dirname "$0")" && pwd)
loadgen=$bench/loadgen/.build/release
run=$(mktemp -d /tmp/frontproxy-ab.XXXXXX)
cleanup() {
    if [ -f "$run/nginx.pid" ]; then kill "$(cat "$run/nginx.pid")" 2>/dev/null || true; fi
    kill $(jobs -p) 2>/dev/null || true
    sleep 0.2
    rm -rf "$run"
}
trap cleanup EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

upstream_port=$(port)
"$loadgen/upstream" --listen "127.0.0.1:$upstream_port" --max-seconds 3600 >/dev/null 2>&1 &
mkdir -p "$run/config"
for file in "$bench"/config/*.yaml; do sed "s/@UPSTREAM_PORT@/$upstream_port/g" "$file" >"$run/config/$(basename "$file")"; done
declare -A target_port target_pids
names=()
for binary in "$@"; do
    name="$(basename "$binary")#${#names[@]}"
    target_port[$name]=$(port)
    "$binary" serve -f "$run/config" --listen "443=127.0.0.1:${target_port[$name]}" --admin "127.0.0.1:$(port)" \
        --access-log /dev/null >/dev/null 2>"$run/$name.err" &
    target_pids[$name]=$!
    names+=("$name")
done
target_port[nginx]=$(port)
sed -e "s#@RUNDIR@#$run#g" -e "s/@LISTEN_PORT@/${target_port[nginx]}/" -e "s/@UPSTREAM_PORT@/$upstream_port/" \
    "$bench/peers/nginx.conf" >"$run/nginx.conf"
nginx -c "$run/nginx.conf" -p "$run" -e "$run/nginx-error.log" &
names+=(nginx)
target_port[haproxy]=$(port)
sed -e "s#@RUNDIR@#$run#g" -e "s/@LISTEN_PORT@/${target_port[haproxy]}/" -e "s/@UPSTREAM_PORT@/$upstream_port/" \
    "$bench/peers/haproxy.cfg" >"$run/haproxy.cfg"
haproxy -db -f "$run/haproxy.cfg" >/dev/null 2>&1 &
target_pids[haproxy]=$!
names+=(haproxy)
sleep 1
target_pids[nginx]=$(pgrep -d ' ' -P "$(cat "$run/nginx.pid")")

ticks() { local total=0 pid; for pid in ${target_pids[$1]}; do total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat"))); done; echo "$total"; }
declare -A samples
for round in $(seq "$rounds"); do
    for index in "${!names[@]}"; do
        name=${names[$(((index + round) % ${#names[@]}))]}
        before=$(ticks "$name")
        out=$("$loadgen/loadgen" cps --target "127.0.0.1:${target_port[$name]}" \
            --clienthello "$bench/clienthello-bench.example.bin" --seconds "$seconds")
        after=$(ticks "$name")
        served=$(sed -E 's/.*served=([0-9]+).*/\1/' <<<"$out")
        rate=$(sed -E 's/.*cps=([0-9.]+).*/\1/' <<<"$out")
        samples[$name]+=" $rate:$(((after - before) * 1000000 / $(getconf CLK_TCK) / served))"
    done
done
for name in "${names[@]}"; do
    python3 - "$name" ${samples[$name]} <<'PY'
import statistics, sys
name, pairs = sys.argv[1], [p.split(":") for p in sys.argv[2:]]
rates, cpu = [float(r) for r, _ in pairs], [int(c) for _, c in pairs]
print(f"{name:28s} conn/s {statistics.median(rates):8.0f}   CPU µs per connection {statistics.median(cpu):5.0f}   (rounds: {' '.join(map(str, cpu))})")
PY
done
