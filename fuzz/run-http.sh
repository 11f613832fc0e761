#!/usr/bin/env bash
# Fuzzes the HTTPWire parser and body framer with libFuzzer and AddressSanitizer: fuzz/run-http.sh [SECONDS]
# (default 600). Every input is parsed as a request and as a response, under the default and tiny limits; the
# target checks that incremental parsing at every split agrees with one-shot parsing, that parse → serialize
# → parse is stable, and that the framer agrees however its input is split. Seeds come from fuzz/HTTPSeeds;
# the corpus grows in fuzz/corpus-run/http (not committed); crash inputs land in .build-fuzz/ with an http-
# prefix.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
mkdir -p .build-fuzz fuzz/corpus-run/http
swiftc -sanitize=fuzzer,address -parse-as-library -O -g -module-name HTTPWireFuzz \
    Sources/HTTPWire/*.swift fuzz/HTTPWireFuzz.swift -o .build-fuzz/http
exec .build-fuzz/http -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
    -dict=fuzz/http.dict -artifact_prefix=.build-fuzz/http- -print_final_stats=1 fuzz/corpus-run/http fuzz/HTTPSeeds
