#!/usr/bin/env bash
# The FrontProxy benchmark, in one command: installs the peers from Debian, builds the load generator and
# FrontProxy in release mode, starts an upstream and every target on loopback, checks that each target
# routes bench.example and refuses other names, then runs rounds of cps / throughput / latency through each
# target (order rotated per round) and prints a table of medians. See bench/README.md.
set -euo pipefail

usage() {
    cat <<'EOF'
usage: bench/run.sh [--quick] [--rounds N] [--cps-seconds S] [--throughput-seconds S] [--latency-seconds S]
                    [--targets LIST] [--out FILE] [--frontproxy PATH] [--no-install] [--keep]
  --quick               about 1 minute (3 short rounds) instead of about 5
  --rounds N            rounds (default 5; quick 3)
  --*-seconds S         time bound of each measurement (defaults 4 / 4 / 3; quick 1.5 / 1.5 / 1)
  --targets LIST        comma-separated subset of direct,frontproxy,nginx,haproxy,sniproxy
  --out FILE            where the table is written (default bench/out/results.md)
  --frontproxy PATH     use this frontproxy binary instead of building the repository's in release mode
  --no-install          do not apt-get the peers (use what is installed)
  --keep                keep the run directory (configs, logs, raw records)
EOF
}

original_args="$*"
bench="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$bench/.." && pwd)"
rounds=5 cps_seconds=4 throughput_seconds=4 latency_seconds=3
targets_wanted="direct,frontproxy,nginx,haproxy,sniproxy"
out="$bench/out/results.md"
install=1 keep=0 frontproxy_given=""
while [ $# -gt 0 ]; do
    case "$1" in
    --quick) rounds=3 cps_seconds=1.5 throughput_seconds=1.5 latency_seconds=1 ;;
    --rounds) rounds="$2"; shift ;;
    --cps-seconds) cps_seconds="$2"; shift ;;
    --throughput-seconds) throughput_seconds="$2"; shift ;;
    --latency-seconds) latency_seconds="$2"; shift ;;
    --targets) targets_wanted="$2"; shift ;;
    --out) out="$2"; shift ;;
    --frontproxy) frontproxy_given="$2"; shift ;;
    --no-install) install=0 ;;
    --keep) keep=1 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done
case "$rounds" in '' | *[!0-9]*) echo "run.sh: --rounds needs a positive integer" >&2; exit 2 ;; esac
[ "$rounds" -ge 1 ] && [ "$rounds" -le 100 ] || { echo "run.sh: --rounds must be 1..100" >&2; exit 2; }

say() { printf '[bench] %s\n' "$*" >&2; }

rundir="$(mktemp -d /tmp/frontproxy-bench.XXXXXX)"
started_pids=()
cleanup() {
    local pid
    for pid in "${started_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${started_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    if [ "$keep" = 1 ]; then say "run directory kept: $rundir"; else rm -rf "$rundir"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
ulimit -n 65536 2>/dev/null || true

# --- 1. Peers from Debian -------------------------------------------------------------------------------
if [ "$install" = 1 ]; then
    say "apt-get update and install of the peers (nginx, libnginx-mod-stream, haproxy, sniproxy)"
    if apt-get update -qq >"$rundir/apt.log" 2>&1; then
        for package in nginx libnginx-mod-stream haproxy sniproxy; do
            if dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then continue; fi
            if [ -z "$(apt-cache policy "$package" 2>/dev/null | awk '/Candidate:/ {print $2}' | grep -v '(none)')" ]; then
                say "package $package is not available: its target will be skipped"
                continue
            fi
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >>"$rundir/apt.log" 2>&1 ||
                say "apt-get install $package failed (see the apt log): its target will be skipped"
        done
    else
        say "apt-get update failed: using the peers already installed"
    fi
fi

# --- 2. Builds --------------------------------------------------------------------------------------------
say "building the load generator (release)"
swift build -c release --package-path "$bench/loadgen" >"$rundir/loadgen-build.log" 2>&1 || {
    cat "$rundir/loadgen-build.log" >&2
    exit 1
}
bin="$(swift build -c release --package-path "$bench/loadgen" --show-bin-path)"
loadgen="$bin/loadgen"
upstream_bin="$bin/upstream"
hello="$bench/clienthello-bench.example.bin"
unknown_hello="$bench/clienthello-unknown.example.bin"

frontproxy=""
if [[ ",$targets_wanted," == *,frontproxy,* ]]; then
    if [ -n "$frontproxy_given" ]; then
        frontproxy="$frontproxy_given"
    else
        say "building FrontProxy (release, product frontproxy)"
        if (cd "$repo" && swift build -c release --product frontproxy) >"$rundir/frontproxy-build.log" 2>&1; then
            frontproxy="$(cd "$repo" && swift build -c release --show-bin-path)/frontproxy"
        else
            say "frontproxy: skipped (release build failed; see $rundir/frontproxy-build.log with --keep)"
        fi
    fi
    if [ -n "$frontproxy" ]; then
        # The help must be serve's own: a root command without subcommands also answers `serve --help` with
        # exit 0 (its own help), so the usage line is checked too.
        if ! serve_help="$("$frontproxy" serve --help 2>&1)" || [[ "$serve_help" != *"frontproxy serve"* ]]; then
            say "frontproxy: skipped (serve not available yet)"
            frontproxy=""
        fi
    fi
fi

# --- 3. Ports, configs, processes ----------------------------------------------------------------------
read -r upstream_port direct_unused frontproxy_port nginx_port haproxy_port sniproxy_port admin_port < <(
    python3 -c '
import socket
socks = [socket.socket() for _ in range(7)]
for s in socks: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))'
)
unset direct_unused

render() { # template output
    sed -e "s|@RUNDIR@|$rundir|g" -e "s|@UPSTREAM_PORT@|$upstream_port|g" -e "s|@LISTEN_PORT@|$3|g" "$1" >"$2"
}

# Waits until something accepts TCP connections on the port (10 s at most).
wait_listening() {
    local port="$1" i
    for i in $(seq 100); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
        sleep 0.1
    done
    return 1
}

declare -A target_port target_pid
targets=()

"$upstream_bin" --listen "127.0.0.1:$upstream_port" --max-seconds 7200 >"$rundir/upstream.log" 2>&1 &
upstream_pid=$!
started_pids+=("$upstream_pid")
wait_listening "$upstream_port" || { say "upstream did not start"; cat "$rundir/upstream.log" >&2; exit 1; }

start_target() { # name port command...
    local name="$1" port="$2"
    shift 2
    "$@" >"$rundir/$name.log" 2>&1 &
    local pid=$!
    started_pids+=("$pid")
    if wait_listening "$port"; then
        target_port[$name]="$port"
        target_pid[$name]="$pid"
        targets+=("$name")
    else
        say "$name: skipped (did not start listening; its log follows)"
        cat "$rundir/$name.log" >&2 || true
    fi
}

for name in ${targets_wanted//,/ }; do
    case "$name" in
    direct)
        target_port[direct]="$upstream_port"
        target_pid[direct]=""
        targets+=(direct)
        ;;
    frontproxy)
        [ -n "$frontproxy" ] || continue
        mkdir -p "$rundir/frontproxy-config"
        for file in "$bench"/config/*.yaml; do render "$file" "$rundir/frontproxy-config/$(basename "$file")" 0; done
        admin=()
        if [[ "$serve_help" == *--admin* ]]; then admin=(--admin "127.0.0.1:$admin_port"); fi
        start_target frontproxy "$frontproxy_port" "$frontproxy" serve -f "$rundir/frontproxy-config/" \
            --listen "443=127.0.0.1:$frontproxy_port" --access-log /dev/null "${admin[@]}"
        ;;
    nginx)
        command -v nginx >/dev/null && [ -e /usr/lib/nginx/modules/ngx_stream_module.so ] ||
            { say "nginx: skipped (nginx or libnginx-mod-stream not installed)"; continue; }
        render "$bench/peers/nginx.conf" "$rundir/nginx.conf" "$nginx_port"
        start_target nginx "$nginx_port" nginx -c "$rundir/nginx.conf" -p "$rundir" -e "$rundir/nginx-error.log"
        ;;
    haproxy)
        command -v haproxy >/dev/null || { say "haproxy: skipped (not installed)"; continue; }
        render "$bench/peers/haproxy.cfg" "$rundir/haproxy.cfg" "$haproxy_port"
        start_target haproxy "$haproxy_port" haproxy -db -f "$rundir/haproxy.cfg"
        ;;
    sniproxy)
        command -v sniproxy >/dev/null || { say "sniproxy: skipped (not installed)"; continue; }
        render "$bench/peers/sniproxy.conf" "$rundir/sniproxy.conf" "$sniproxy_port"
        start_target sniproxy "$sniproxy_port" sniproxy -f -c "$rundir/sniproxy.conf"
        ;;
    *) say "unknown target $name (known: direct,frontproxy,nginx,haproxy,sniproxy)"; exit 2 ;;
    esac
done

# --- 4. Check that every target routes bench.example and refuses other names --------------------------
checked=()
for name in "${targets[@]}"; do
    port="${target_port[$name]}"
    if ! result="$("$loadgen" cps --target "127.0.0.1:$port" --clienthello "$hello" --count 10 --connections 2 --seconds 10 2>&1)"; then
        say "$name: skipped (10 connections for bench.example were not all served: $result)"
        continue
    fi
    if [ "$name" != direct ] &&
        ! refused="$("$loadgen" cps --target "127.0.0.1:$port" --clienthello "$unknown_hello" --count 3 --connections 1 --seconds 20 --expect refused 2>&1)"; then
        say "$name: skipped (an unknown SNI was not refused: $refused)"
        continue
    fi
    if [ "$name" = direct ]; then
        say "direct: the upstream answers bench.example (127.0.0.1:$port)"
    else
        say "$name: routes bench.example and refuses unknown.example (127.0.0.1:$port)"
    fi
    checked+=("$name")
done
targets=("${checked[@]}")
[ "${#targets[@]}" -gt 0 ] || { say "no target passed its check"; exit 1; }

# --- 5. Measurement -------------------------------------------------------------------------------------
clk_tck="$(getconf CLK_TCK)"

# CPU seconds (user + system) of a process and its children (nginx's workers), from /proc/PID/stat.
tree_pids() { [ -n "$1" ] && { echo "$1"; pgrep -P "$1" || true; }; }
cpu_seconds() {
    local total=0 pid ticks
    for pid in $(tree_pids "$1"); do
        ticks="$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | awk '{print $12 + $13}')" || ticks=0
        total=$((total + ${ticks:-0}))
    done
    awk -v t="$total" -v hz="$clk_tck" 'BEGIN { printf "%.3f", t / hz }'
}
# Peak resident memory (VmHWM) summed over the process and its children, in MB.
peak_rss_mb() {
    local total=0 pid kb
    for pid in $(tree_pids "$1"); do
        kb="$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status" 2>/dev/null)" || kb=0
        total=$((total + ${kb:-0}))
    done
    awk -v k="$total" 'BEGIN { printf "%.1f", k / 1024 }'
}
# Busy, interrupt (hard + soft: loopback TCP work mostly runs there, not in any process's time) and steal
# jiffies of the whole machine, to show what else used the cores during a measurement.
system_jiffies() { awk '/^cpu / { print $2+$3+$4+$7+$8, $7+$8, $9 }' /proc/stat; }

records="$rundir/records.txt"
: >"$records"
workloads=(cps throughput latency)
say "rounds: $rounds; targets: ${targets[*]}; seconds per measurement: cps $cps_seconds, throughput $throughput_seconds, latency $latency_seconds"
for round in $(seq "$rounds"); do
    count="${#targets[@]}"
    order=()
    for i in $(seq 0 $((count - 1))); do order+=("${targets[$(((i + round - 1) % count))]}"); done
    say "round $round/$rounds: ${order[*]}"
    for name in "${order[@]}"; do
        port="${target_port[$name]}" pid="${target_pid[$name]}"
        for workload in "${workloads[@]}"; do
            case "$workload" in
            cps) args=(--seconds "$cps_seconds") ;;
            throughput) args=(--seconds "$throughput_seconds") ;;
            latency) args=(--seconds "$latency_seconds") ;;
            esac
            proxy_before="$(cpu_seconds "$pid")"
            upstream_before="$(cpu_seconds "$upstream_pid")"
            read -r busy_before irq_before steal_before < <(system_jiffies)
            start_ns="$(date +%s%N)"
            line="$("$loadgen" "$workload" --target "127.0.0.1:$port" --clienthello "$hello" "${args[@]}" 2>&1)" || true
            end_ns="$(date +%s%N)"
            read -r busy_after irq_after steal_after < <(system_jiffies)
            proxy_after="$(cpu_seconds "$pid")"
            upstream_after="$(cpu_seconds "$upstream_pid")"
            awk -v r="$round" -v n="$name" -v line="$line" \
                -v pb="$proxy_before" -v pa="$proxy_after" -v ub="$upstream_before" -v ua="$upstream_after" \
                -v bb="$busy_before" -v ba="$busy_after" -v sb="$steal_before" -v sa="$steal_after" \
                -v ib="$irq_before" -v ia="$irq_after" \
                -v hz="$clk_tck" -v s="$start_ns" -v e="$end_ns" 'BEGIN {
                    gsub(/\n/, " ", line)
                    printf "round=%d name=%s %s proxy_cpu=%.3f upstream_cpu=%.3f system_busy=%.3f irq=%.3f steal=%.3f wall=%.3f\n",
                        r, n, line, pa - pb, ua - ub, (ba - bb) / hz, (ia - ib) / hz, (sa - sb) / hz, (e - s) / 1e9
                }' >>"$records"
        done
    done
done

for name in "${targets[@]}"; do
    printf 'name=%s peak_rss_mb=%s\n' "$name" "$(peak_rss_mb "${target_pid[$name]}")" >>"$records"
done

# --- 6. Report ------------------------------------------------------------------------------------------
mkdir -p "$(dirname "$out")"
python3 "$bench/report.py" "$records" --rounds "$rounds" --command "bench/run.sh${original_args:+ $original_args}" \
    --seconds "cps ${cps_seconds}s, throughput ${throughput_seconds}s, latency ${latency_seconds}s" >"$out"
cp "$records" "${out%.md}.records.txt"
cat "$out"
say "table written to $out (raw records: ${out%.md}.records.txt)"
