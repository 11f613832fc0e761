#!/usr/bin/env bash
# HTTP/1.1 through FrontProxy, nginx (proxy_pass to a keepalive upstream) and HAProxy (mode http), in one
# interleaved run against the same fast upstream (nginx returning a fixed 200), measured with wrk: keep-alive
# and connection-per-request. Prints requests/s, p50/p99 latency, proxy CPU per request and peak RSS, with
# ratios to nginx. Loopback only. See bench/README.md.
set -euo pipefail

usage() {
    cat <<'EOF'
usage: bench/http.sh [--rounds N] [--seconds S] [--connections C] [--targets LIST] [--frontproxy PATH]
                     [--no-install] [--out FILE]
  --rounds N         rounds, target order rotated each round (default 3)
  --seconds S        length of each wrk run (default 3)
  --connections C    concurrent connections (default 32)
  --targets LIST     comma-separated subset of direct,frontproxy,nginx,haproxy
  --frontproxy PATH  use this binary instead of building the repository's in release mode
  --no-install       do not apt-get wrk, nginx and haproxy
  --out FILE         where the table is written (default bench/out/http.md)
EOF
}

bench="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$bench/.." && pwd)"
rounds=3 seconds=3 connections=32 targets_wanted="direct,frontproxy,nginx,haproxy" frontproxy="" install=1
out="$bench/out/http.md"
while [ $# -gt 0 ]; do
    case "$1" in
    --rounds) rounds="$2"; shift ;;
    --seconds) seconds="$2"; shift ;;
    --connections) connections="$2"; shift ;;
    --targets) targets_wanted="$2"; shift ;;
    --frontproxy) frontproxy="$2"; shift ;;
    --no-install) install=0 ;;
    --out) out="$2"; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "http.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done

say() { printf '[http-bench] %s\n' "$*" >&2; }
rundir="$(mktemp -d /tmp/frontproxy-http-bench.XXXXXX)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$rundir"
}
trap cleanup EXIT

if [ "$install" = 1 ]; then
    missing=()
    for tool in wrk nginx haproxy; do command -v "$tool" >/dev/null || missing+=("$tool"); done
    if [ ${#missing[@]} -gt 0 ]; then
        say "installing ${missing[*]}"
        apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
fi
for tool in wrk nginx haproxy; do command -v "$tool" >/dev/null || { echo "http.sh: $tool is missing" >&2; exit 1; }; done

if [ -z "$frontproxy" ]; then
    say "building frontproxy (release)"
    (cd "$repo" && swift build -c release --product frontproxy >/dev/null)
    frontproxy="$(cd "$repo" && swift build -c release --show-bin-path)/frontproxy"
fi

upstream_port=18901 frontproxy_port=18911 nginx_port=18912 haproxy_port=18913
fill() { sed -e "s#@RUNDIR@#$rundir#g" -e "s#@UPSTREAM_PORT@#$upstream_port#g" -e "s#@LISTEN_PORT@#$2#g" "$1"; }

fill "$bench/http/upstream-nginx.conf" 0 >"$rundir/upstream.conf"
nginx -c "$rundir/upstream.conf" -p "$rundir" &
pids+=($!)
fill "$bench/http/config.yaml" 0 >"$rundir/frontproxy.yaml"
"$frontproxy" serve -f "$rundir/frontproxy.yaml" --listen "80=127.0.0.1:$frontproxy_port" --admin 127.0.0.1:0 \
    --dns-server 127.0.0.1:1 --access-log /dev/null --threads 2 >"$rundir/frontproxy.log" 2>&1 &
pids+=($!)
frontproxy_pid=$!
fill "$bench/http/nginx-proxy.conf" "$nginx_port" >"$rundir/nginx-proxy.conf"
nginx -c "$rundir/nginx-proxy.conf" -p "$rundir" &
pids+=($!)
nginx_pid=$!
fill "$bench/http/haproxy.cfg" "$haproxy_port" >"$rundir/haproxy.cfg"
haproxy -f "$rundir/haproxy.cfg" -db >"$rundir/haproxy.log" 2>&1 &
pids+=($!)
haproxy_pid=$!
for port in $upstream_port $frontproxy_port $nginx_port $haproxy_port; do
    for _ in $(seq 1 50); do
        curl -s -o /dev/null "http://127.0.0.1:$port/" && break
        sleep 0.1
    done
done

port_of() {
    case "$1" in direct) echo $upstream_port ;; frontproxy) echo $frontproxy_port ;;
    nginx) echo $nginx_port ;; haproxy) echo $haproxy_port ;; esac
}
# Every process of a target (nginx: master and workers).
pids_of() {
    case "$1" in
    direct) echo "" ;;
    frontproxy) echo "$frontproxy_pid" ;;
    nginx) echo "$nginx_pid $(pgrep -P "$nginx_pid" | tr '\n' ' ')" ;;
    haproxy) echo "$haproxy_pid" ;;
    esac
}
cpu_ticks() {
    local total=0 pid
    for pid in $1; do
        [ -r "/proc/$pid/stat" ] || continue
        total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
    done
    echo "$total"
}
peak_rss_kb() {
    local total=0 pid
    for pid in $1; do
        [ -r "/proc/$pid/status" ] || continue
        total=$((total + $(awk '/VmHWM/ {print $2}' "/proc/$pid/status")))
    done
    echo "$total"
}

IFS=, read -r -a targets <<<"$targets_wanted"
for target in "${targets[@]}"; do
    port=$(port_of "$target")
    status=$(curl -s -o /dev/null -w '%{http_code}' -H 'Host: bench.example' "http://127.0.0.1:$port/" || true)
    [ "$status" = 200 ] || { echo "http.sh: $target answered $status for bench.example" >&2; exit 1; }
    if [ "$target" != direct ]; then
        other=$(curl -s -o /dev/null -w '%{http_code}' -H 'Host: other.example' "http://127.0.0.1:$port/" || true)
        [ "$other" = 404 ] || { echo "http.sh: $target answered $other for other.example (want 404)" >&2; exit 1; }
    fi
done
say "every target answers bench.example with 200 and other names with 404"

hz=$(getconf CLK_TCK)
records="$rundir/records"
: >"$records"
for round in $(seq 1 "$rounds"); do
    # Rotate the order each round so no target always runs first or last.
    shift_by=$(( (round - 1) % ${#targets[@]} ))
    ordered=("${targets[@]:$shift_by}" "${targets[@]:0:$shift_by}")
    for target in "${ordered[@]}"; do
        for mode in keepalive close; do
            port=$(port_of "$target")
            extra=()
            [ "$mode" = close ] && extra=(-H 'Connection: close')
            procs=$(pids_of "$target")
            before=$(cpu_ticks "$procs")
            output=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency -H 'Host: bench.example' "${extra[@]}" \
                "http://127.0.0.1:$port/" 2>&1)
            after=$(cpu_ticks "$procs")
            requests=$(awk '/requests in/ {print $1}' <<<"$output")
            rate=$(awk '/Requests\/sec/ {print $2}' <<<"$output")
            p50=$(awk '$1 == "50%" {print $2}' <<<"$output")
            p99=$(awk '$1 == "99%" {print $2}' <<<"$output")
            errors=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$output" | tr '\n' ' ')
            cpu_us=$(awk -v t=$((after - before)) -v hz="$hz" -v n="$requests" 'BEGIN { if (n > 0) printf "%.1f", t / hz * 1e6 / n; else print "-" }')
            echo "$target $mode $rate $p50 $p99 $cpu_us $requests ${errors:-none}" >>"$records"
            say "round $round $target $mode: $rate req/s, p50 $p50, p99 $p99, $cpu_us µs CPU/request ${errors}"
        done
    done
done

mkdir -p "$(dirname "$out")"
python3 - "$records" "$out" "$(for t in "${targets[@]}"; do echo "$t=$(peak_rss_kb "$(pids_of "$t")")"; done | tr '\n' ' ')" \
    "$rounds" "$seconds" "$connections" <<'EOF'
import statistics, sys
records, out, rss_text, rounds, seconds, connections = sys.argv[1:7]
rss = dict(item.split("=") for item in rss_text.split())
def ms(text):
    if text.endswith("us"): return float(text[:-2]) / 1000
    if text.endswith("ms"): return float(text[:-2])
    if text.endswith("s"): return float(text[:-1]) * 1000
    return float("nan")
rows = {}
for line in open(records):
    target, mode, rate, p50, p99, cpu, requests, *errors = line.split()
    rows.setdefault((target, mode), []).append((float(rate), ms(p50), ms(p99), float(cpu) if cpu != "-" else float("nan"), " ".join(errors)))
med = {key: [statistics.median(values[i] for values in rows[key]) for i in range(4)] for key in rows}
lines = [f"HTTP/1.1 benchmark: {rounds} rounds of {seconds} s per target and mode, wrk -t2 -c{connections}, "
         "targets interleaved; medians.", "",
         "| target | mode | requests/s | p50 ms | p99 ms | proxy CPU µs/request | peak RSS MB |", "|---|---|---|---|---|---|---|"]
for (target, mode), (rate, p50, p99, cpu) in sorted(med.items()):
    memory = int(rss.get(target, "0")) / 1024
    lines.append(f"| {target} | {mode} | {rate:.0f} | {p50:.3f} | {p99:.3f} | {'—' if target == 'direct' else f'{cpu:.1f}'} | "
                 f"{'—' if target == 'direct' else f'{memory:.1f}'} |")
lines += ["", "Ratio to nginx (requests/s higher is better; latency and CPU lower is better):", "",
          "| target | mode | requests/s | p50 | p99 | CPU/request |", "|---|---|---|---|---|---|"]
for (target, mode), (rate, p50, p99, cpu) in sorted(med.items()):
    if target in ("nginx", "direct") or ("nginx", mode) not in med: continue
    n = med[("nginx", mode)]
    lines.append(f"| {target} | {mode} | {rate / n[0]:.2f} | {p50 / n[1]:.2f} | {p99 / n[2]:.2f} | {cpu / n[3]:.2f} |")
errors = sorted({e for key in rows for *_, e in rows[key] if e != "none"})
if errors: lines += ["", "wrk reported: " + "; ".join(errors)]
open(out, "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
EOF
say "table written to $out"
