#!/usr/bin/env bash
# Builds and runs the ClientHelloReader micro-benchmark (see README.md), then counts allocations and instructions
# per parse with valgrind (memcheck's heap summary and callgrind's instruction count, each from a run of 1000
# parses minus a run of 0 parses). Needs valgrind for the second part.
# -wmo as in SwiftPM release builds: without it, calls across TLSWire's files are neither inlined nor specialised.
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p .build-bench
swiftc -O -wmo -parse-as-library Sources/TLSWire/*.swift bench/clienthello/ClientHelloBench.swift -o .build-bench/clienthello
.build-bench/clienthello Fixtures/clienthello

command -v valgrind >/dev/null || { echo "valgrind not installed: skipping allocation counts"; exit 0; }
run() { SWIFT_BACKTRACE=enable=no valgrind "$@" 2>&1 >/dev/null; }
allocs() { run --tool=memcheck "$@" | sed -n 's/.*total heap usage: \([0-9,]*\) allocs.*/\1/p' | tr -d ,; }
instructions() {
    run --tool=callgrind --callgrind-out-file=/dev/null "$@" | sed -n 's/.*refs: *\([0-9,]*\).*/\1/p' | tr -d ,
}
per_parse() { # TOOL FILE PATTERN
    local base many
    base=$("$1" .build-bench/clienthello --allocs "Fixtures/clienthello/$2.bin" "$3" 0)
    many=$("$1" .build-bench/clienthello --allocs "Fixtures/clienthello/$2.bin" "$3" 1000)
    echo $(( (many - base) / 1000 ))
}
echo
echo "per reader parse (valgrind; 1000 parses minus 0 parses):"
printf '  %-32s %-9s %8s %14s\n' hello feed allocs instructions
for file in openssl-s_client-tls13-sni pyopenssl-openssl4-pq-mlkem; do
    for pattern in whole segments bytewise; do
        printf '  %-32s %-9s %8s %14s\n' "$file" "$pattern" "$(per_parse allocs "$file" "$pattern")" \
            "$(per_parse instructions "$file" "$pattern")"
    done
done
