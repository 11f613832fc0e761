#!/usr/bin/env python3
"""Turns bench/run.sh's raw records into the results table: medians across rounds per target, ratios to
direct and to nginx, and the generator check (whose CPU went where during each workload).

Each record is one line of key=value pairs: the load generator's result line plus what run.sh measured
around it (proxy_cpu, upstream_cpu, system_busy, steal, wall, all in seconds), or a name=... peak_rss_mb=...
line per target at the end of the run."""

import argparse
import datetime
import os
import platform
import statistics
import subprocess
import sys

ORDER = ["direct", "frontproxy", "nginx", "haproxy", "sniproxy"]


def parse(path):
    measurements, peak_rss = [], {}
    with open(path) as records:
        for raw in records:
            fields = dict(item.split("=", 1) for item in raw.split() if "=" in item)
            if "peak_rss_mb" in fields:
                peak_rss[fields["name"]] = float(fields["peak_rss_mb"])
            elif "workload" in fields:
                measurements.append(fields)
            elif "name" in fields:
                # The load generator printed no result line (it failed to start): count it as a failure.
                measurements.append(dict(fields, workload="error"))
    return measurements, peak_rss


def number(fields, key):
    try:
        return float(fields[key])
    except (KeyError, ValueError):
        return None


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def per_round_metrics(m):
    """The figures one measurement contributes, keyed by metric name."""
    workload, out = m["workload"], {}
    proxy_cpu = number(m, "proxy_cpu")
    if workload == "cps":
        served = number(m, "served") or 0
        out["cps"] = number(m, "cps")
        if m["name"] != "direct" and served > 0:
            out["cpu_per_1k_conn"] = proxy_cpu / served * 1000
    elif workload == "throughput":
        out["up_mbps"] = number(m, "up_mbps")
        out["down_mbps"] = number(m, "down_mbps")
        moved = (number(m, "up_bytes") or 0) + (number(m, "down_bytes") or 0)
        if m["name"] != "direct" and moved > 0:
            out["cpu_per_gb"] = proxy_cpu / (moved / 1e9)
    elif workload == "latency":
        for key in ("p50_us", "p99_us", "p999_us", "samples"):
            out[key] = number(m, key)
    failures = sum(int(number(m, key) or 0) for key in ("failed", "refused"))
    out["failures"] = failures + (1 if workload == "error" else 0)
    return out


COLUMNS = [
    ("cps", "conn/s", "{:.0f}", "higher"),
    ("up_mbps", "up MB/s", "{:.0f}", "higher"),
    ("down_mbps", "down MB/s", "{:.0f}", "higher"),
    ("p50_us", "p50 µs", "{:.1f}", "lower"),
    ("p99_us", "p99 µs", "{:.1f}", "lower"),
    ("p999_us", "p99.9 µs", "{:.0f}", "lower"),
    ("cpu_per_1k_conn", "CPU s/1k conn", "{:.3f}", "lower"),
    ("cpu_per_gb", "CPU s/GB", "{:.3f}", "lower"),
    ("peak_rss_mb", "peak RSS MB", "{:.1f}", "lower"),
]


def fmt(spec, value):
    return "—" if value is None else spec.format(value)


def ratio(value):
    return f"{value:.2f}" if value >= 0.1 else f"{value:.2g}"


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def machine():
    def run(command):
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=10)
            return (result.stdout + result.stderr).strip().splitlines()[0]
        except (OSError, IndexError, subprocess.TimeoutExpired):
            return "not available"

    model = "unknown"
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            model = next(line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    try:
        load = " ".join(open("/proc/loadavg").read().split()[:3])
    except OSError:
        load = "unknown"
    return [
        f"- cores: {os.cpu_count()} ({model}); kernel {platform.release()}; load average before the report {load}",
        f"- {run(['swift', '--version'])}",
        f"- {run(['nginx', '-v'])}; {run(['haproxy', '-v'])}; {run(['sniproxy', '-V'])}",
    ]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("records")
    parser.add_argument("--rounds", type=int, required=True)
    parser.add_argument("--command", required=True)
    parser.add_argument("--seconds", required=True)
    args = parser.parse_args()

    measurements, peak_rss = parse(args.records)
    names = [n for n in ORDER if any(m["name"] == n for m in measurements)]
    names += sorted({m["name"] for m in measurements} - set(names))

    samples = {n: {} for n in names}
    for m in measurements:
        for key, value in per_round_metrics(m).items():
            samples[m["name"]].setdefault(key, []).append(value)
    medians = {n: {key: median(values) for key, values in samples[n].items()} for n in names}
    for n in names:
        medians[n]["peak_rss_mb"] = peak_rss.get(n) if n != "direct" else None
        medians[n]["failures"] = sum(samples[n].get("failures", []))

    out = [
        f"Date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC. Command: `{args.command}`. "
        f"{args.rounds} rounds, targets interleaved (order rotated each round); each measurement bounded to "
        f"{args.seconds}.",
        "",
        *machine(),
        "",
        "### Medians across rounds",
        "",
        table(
            ["target"] + [title for _, title, _, _ in COLUMNS] + ["failures"],
            [[n] + [fmt(spec, medians[n].get(key)) for key, _, spec, _ in COLUMNS] + [str(medians[n]["failures"])]
             for n in names],
        ),
        "",
        "CPU is the proxy's own utime+stime (all its processes) over the measurement; peak RSS is VmHWM at the "
        "end of the run, summed over the proxy's processes (nginx: master + workers). Latency: one connection, "
        "64-byte ping-pong, nearest-rank percentiles over every round trip "
        f"(median samples per round: {fmt('{:.0f}', median([medians[n].get('samples') for n in names]))}).",
    ]
    for base in ("direct", "nginx"):
        if base not in medians:
            continue
        keys = [c for c in COLUMNS if base != "direct" or c[0] not in ("cpu_per_1k_conn", "cpu_per_gb", "peak_rss_mb")]
        rows = []
        for n in names:
            if n == base:
                continue
            row = [n]
            for key, _, _, _ in keys:
                value, reference = medians[n].get(key), medians[base].get(key)
                row.append("—" if value is None or not reference else ratio(value / reference))
            rows.append(row)
        if rows:
            out += ["", f"### Ratio to {base} (target ÷ {base}; higher is better for rates, lower for µs, CPU, RSS)",
                    "", table(["target"] + [title for _, title, _, _ in keys], rows)]

    # The generator check: during each workload, how many cores each party used on average.
    out += ["", "### Where the CPU went (cores in use, medians; 'irq' = interrupt and softirq time, where most "
                "loopback TCP work is accounted; 'other' = everything else on the machine: other processes, kernel "
                "threads)", ""]
    rows = []
    for n in names:
        for workload in ("cps", "throughput", "latency"):
            ms = [m for m in measurements if m["name"] == n and m["workload"] == workload]
            if not ms:
                continue

            def cores(key):
                return median([(number(m, key) or 0) / number(m, "wall") for m in ms if number(m, "wall")])

            loadgen, upstream, proxy = cores("loadgen_cpu"), cores("upstream_cpu"), cores("proxy_cpu")
            busy, irq, steal = cores("system_busy"), cores("irq"), cores("steal")
            other = None if busy is None else max(busy - loadgen - upstream - proxy - (irq or 0), 0)
            values = (loadgen, upstream, proxy, irq, other, busy, steal)
            rows.append([n, workload] + [fmt("{:.2f}", v) for v in values])
    header = ["target", "workload", "loadgen", "upstream", "proxy", "irq", "other", "machine busy", "steal"]
    out.append(table(header, rows))
    print("\n".join(out))


if __name__ == "__main__":
    sys.exit(main())
