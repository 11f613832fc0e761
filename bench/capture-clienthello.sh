#!/usr/bin/env bash
# Captures the ClientHello that `openssl s_client -servername bench.example` sends, as raw TLS records, into
# bench/clienthello-bench.example.bin. The listener is a tiny python3 program on loopback that reads exactly
# the records holding one complete ClientHello handshake message and then closes (so s_client fails, as
# intended: we only want its first flight).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/clienthello-bench.example.bin}"
sni="${SNI:-bench.example}"
portfile="$(mktemp)"
trap 'rm -f "$portfile"' EXIT

python3 - "$out" "$portfile" <<'PY' &
import socket, sys
out, portfile = sys.argv[1], sys.argv[2]
srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen(1)
srv.settimeout(10)
open(portfile, "w").write(str(srv.getsockname()[1]))
conn, _ = srv.accept()
conn.settimeout(10)

def read_exact(n):
    buf = b""
    while len(buf) < n:
        chunk = conn.recv(n - len(buf))
        if not chunk:
            raise SystemExit("peer closed after %d of %d bytes" % (len(buf), n))
        buf += chunk
    return buf

raw, handshake = b"", b""
# A ClientHello may span several TLS records: read records until the handshake message is complete.
while len(handshake) < 4 or len(handshake) < 4 + int.from_bytes(handshake[1:4], "big"):
    header = read_exact(5)
    if header[0] != 22:
        raise SystemExit("not a TLS handshake record: content type %d" % header[0])
    body = read_exact(int.from_bytes(header[3:5], "big"))
    raw += header + body
    handshake += body
    if len(raw) > 65536:
        raise SystemExit("ClientHello larger than 64 KiB")
if handshake[0] != 1:
    raise SystemExit("first handshake message is type %d, not ClientHello" % handshake[0])
open(out, "wb").write(raw)
conn.close()
PY
listener=$!
for _ in $(seq 50); do [ -s "$portfile" ] && break; sleep 0.1; done
port="$(cat "$portfile")"
openssl s_client -connect "127.0.0.1:$port" -servername "$sni" </dev/null >/dev/null 2>&1 || true
wait "$listener"
printf '%s: %d bytes (ClientHello for SNI %s from %s)\n' "$out" "$(stat -c %s "$out")" "$sni" "$(openssl version)"
