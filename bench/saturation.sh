#!/usr/bin/env bash
# Shows whether the load generator or the path limits the direct (no proxy) figures: runs the direct cps and
# throughput workloads at rising generator concurrency and threads, and prints each rate next to the cores the
# generator, the upstream and the whole machine used. If the rate stops rising while the machine is fully busy,
# the path (upstream + kernel), not an idle or starved generator, is the limit. About 1 minute.
set -euo pipefail
bench="$(cd "$(dirname "$0")" && pwd)"
seconds="${1:-3}"
swift build -c release --package-path "$bench/loadgen" >/dev/null
bin="$(swift build -c release --package-path "$bench/loadgen" --show-bin-path)"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"$bin/upstream" --listen "127.0.0.1:$port" --max-seconds 600 >/dev/null &
upstream=$!
trap 'kill "$upstream" 2>/dev/null || true; wait "$upstream" 2>/dev/null || true' EXIT
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
hz="$(getconf CLK_TCK)"
cpu() { sed 's/^.*) //' "/proc/$1/stat" | awk -v hz="$hz" '{printf "%.3f", ($12 + $13) / hz}'; }
busy() { awk -v hz="$hz" '/^cpu / {printf "%.3f", ($2 + $3 + $4 + $7 + $8) / hz}' /proc/stat; }

printf '| workload | loadgen threads | connections | rate | loadgen cores | upstream cores | machine busy cores |\n'
printf '|---|---|---|---|---|---|---|\n'
run() { # workload threads connections
    local u0 b0 t0 line u1 b1 t1
    u0="$(cpu "$upstream")" b0="$(busy)" t0="$(date +%s%N)"
    line="$("$bin/loadgen" "$1" --target "127.0.0.1:$port" --clienthello "$bench/clienthello-bench.example.bin" \
        --threads "$2" --connections "$3" --seconds "$seconds")"
    u1="$(cpu "$upstream")" b1="$(busy)" t1="$(date +%s%N)"
    awk -v w="$1" -v t="$2" -v c="$3" -v line="$line" -v u0="$u0" -v u1="$u1" -v b0="$b0" -v b1="$b1" \
        -v wall="$(((t1 - t0) / 1000000))" 'BEGIN {
            n = split(line, kv, " "); for (i = 1; i <= n; i++) { split(kv[i], p, "="); f[p[1]] = p[2] }
            rate = (w == "cps") ? sprintf("%.0f conn/s", f["cps"]) : sprintf("%.0f / %.0f MB/s", f["up_mbps"], f["down_mbps"])
            s = wall / 1000; u = u1 - u0; b = b1 - b0
            printf "| %s | %d | %d | %s | %.2f | %.2f | %.2f |\n", w, t, c, rate, f["loadgen_cpu"] / s, u / s, b / s
        }'
}
for threads in 1 2; do
    for connections in 4 16 64 256; do run cps "$threads" "$connections"; done
done
for connections in 1 2 4; do run throughput 2 "$connections"; done
