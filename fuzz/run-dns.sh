#!/usr/bin/env bash
# Fuzzes the DNSWire codec with libFuzzer and AddressSanitizer: fuzz/run-dns.sh [SECONDS] (default 300).
# The module is compiled straight from its sources with swiftc (see shared tooling notes: SwiftPM cannot link
# a libFuzzer executable). Seeds come from fuzz/DNSSeeds; the growing corpus lives in fuzz/corpus-run/dns
# (not committed); crash inputs land in .build-fuzz/ with a dns- prefix.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-300}"
mkdir -p .build-fuzz fuzz/corpus-run/dns
swiftc -sanitize=fuzzer,address -parse-as-library -O \
    Sources/DNSWire/*.swift fuzz/DNSMessageFuzz.swift -o .build-fuzz/dns
exec .build-fuzz/dns -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix=.build-fuzz/dns- -print_final_stats=1 fuzz/corpus-run/dns fuzz/DNSSeeds
