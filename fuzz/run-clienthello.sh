#!/usr/bin/env bash
# Builds the ClientHelloReader libFuzzer target and runs it for SECONDS (default 60) on a scratch corpus seeded
# from Fixtures/clienthello/*.bin. Crashes are written to .build-fuzz/artifacts/ (crash-<sha1>).
# Usage: fuzz/run-clienthello.sh [SECONDS] [extra libFuzzer flags...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
mkdir -p .build-fuzz/corpus-clienthello .build-fuzz/artifacts
swiftc -sanitize=fuzzer,address -parse-as-library -O Sources/TLSWire/*.swift fuzz/ClientHelloFuzz.swift \
    -o .build-fuzz/clienthello
cp Fixtures/clienthello/*.bin .build-fuzz/corpus-clienthello/
# -max_len above the 16 KiB limit so oversized hellos and record-length edges are reachable.
# The Swift backtracer would intercept the trap before libFuzzer and ASan report it.
export SWIFT_BACKTRACE=enable=no
exec .build-fuzz/clienthello -max_total_time="$seconds" -max_len=20000 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix=.build-fuzz/artifacts/ "$@" .build-fuzz/corpus-clienthello
