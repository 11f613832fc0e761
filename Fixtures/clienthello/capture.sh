#!/usr/bin/env bash
# Captures real ClientHellos from clients nobody here wrote, as the bytes they put on a loopback socket.
# One-off: the tests read the committed .bin files, so CI needs none of these clients.
# Needs: python3, openssl, curl, gnutls-cli (Debian gnutls-bin). Writes *.bin next to this script; the expected
# SNI and ALPN of each file are in manifest.json (edit it when adding a capture).
set -euo pipefail
cd "$(dirname "$0")"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# capture NAME CLIENT-COMMAND... ; the command may use $PORT.
capture() {
    local name=$1
    shift
    rm -f "$scratch/port"
    python3 capture.py "$name.bin" "$scratch/port" &
    local listener=$!
    while [ ! -s "$scratch/port" ]; do sleep 0.05; done
    PORT=$(cat "$scratch/port")
    # The listener closes after the ClientHello, so every client fails its handshake: that is expected.
    eval "$*" </dev/null >/dev/null 2>&1 || true
    wait "$listener"
}

host=www.example.com
s_client="openssl s_client -connect 127.0.0.1:\$PORT"
capture openssl-s_client-tls12-sni          "$s_client -tls1_2 -servername $host"
capture openssl-s_client-tls12-sni-alpn     "$s_client -tls1_2 -servername $host -alpn h2,http/1.1"
capture openssl-s_client-tls13-sni          "$s_client -tls1_3 -servername $host"
capture openssl-s_client-tls13-alpn         "$s_client -tls1_3 -servername $host -alpn h2,http/1.1"
capture openssl-s_client-tls13-nosni        "$s_client -tls1_3 -noservername -alpn http/1.1"
capture openssl-s_client-uppercase-sni      "$s_client -servername WWW.Example.COM"
capture openssl-s_client-trailing-dot       "$s_client -servername $host."
# A real client fragmenting its ClientHello across records: 512-byte records and a hello made long by ALPN.
capture openssl-s_client-fragmented-512 \
    "$s_client -servername frag.example.com -max_send_frag 512 -alpn \$(printf 'protocol-%02d,' \$(seq 1 40))h2"
capture curl-http1.1  "curl -sk --http1.1 --resolve $host:\$PORT:127.0.0.1 https://$host:\$PORT/"
capture curl-http2    "curl -sk --http2 --resolve $host:\$PORT:127.0.0.1 https://$host:\$PORT/"
capture curl-tls12    "curl -sk --http1.1 --tlsv1.2 --tls-max 1.2 --resolve $host:\$PORT:127.0.0.1 https://$host:\$PORT/"
capture gnutls-cli-sni-alpn "gnutls-cli --insecure --port \$PORT --sni-hostname $host --alpn h2 --alpn http/1.1 127.0.0.1"
capture gnutls-cli-tls12 \
    "gnutls-cli --insecure --port \$PORT --sni-hostname $host --priority NORMAL:-VERS-ALL:+VERS-TLS1.2 127.0.0.1"
capture gnutls-cli-nosni "gnutls-cli --insecure --port \$PORT --disable-sni 127.0.0.1"
capture python3-ssl-sni-alpn "python3 -c \"
import socket, ssl
context = ssl.create_default_context()
context.check_hostname = False
context.verify_mode = ssl.CERT_NONE
context.set_alpn_protocols(['h2', 'http/1.1'])
context.wrap_socket(socket.create_connection(('127.0.0.1', \$PORT)), server_hostname='$host').close()
\""
capture python3-ssl-tls12 "python3 -c \"
import socket, ssl
context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
context.check_hostname = False
context.verify_mode = ssl.CERT_NONE
context.maximum_version = ssl.TLSVersion.TLSv1_2
context.wrap_socket(socket.create_connection(('127.0.0.1', \$PORT)), server_hostname='$host').close()
\""
# A post-quantum ClientHello (X25519MLKEM768 key share, ~1.5 KB) from the OpenSSL that pyOpenSSL's wheel bundles
# (Debian's OpenSSL 3.0 has no ML-KEM). PYOPENSSL_PYTHON names a python3 with pyOpenSSL installed, e.g. a
# scratch venv: python3 -m venv /tmp/pq && /tmp/pq/bin/pip install pyopenssl
if [ -n "${PYOPENSSL_PYTHON:-}" ]; then
    capture pyopenssl-openssl4-pq-mlkem "$PYOPENSSL_PYTHON -c \"
import socket
from OpenSSL import SSL
context = SSL.Context(SSL.TLS_CLIENT_METHOD)
context.set_alpn_protos([b'h2', b'http/1.1'])
connection = SSL.Connection(context, socket.create_connection(('127.0.0.1', \$PORT)))
connection.set_tlsext_host_name(b'pq.example.com')
connection.set_connect_state()
connection.do_handshake()
\""
fi
{
    echo "# Captured by capture.sh on $(date -u +%Y-%m-%d) with:"
    openssl version
    curl --version | head -1
    gnutls-cli --version | head -1
    python3 -c 'import ssl, sys; print("python", sys.version.split()[0], ssl.OPENSSL_VERSION)'
    if [ -n "${PYOPENSSL_PYTHON:-}" ]; then
        "$PYOPENSSL_PYTHON" -c 'import OpenSSL, cryptography.hazmat.backends.openssl as o
print("pyOpenSSL", OpenSSL.__version__, o.backend.openssl_version_text())'
    fi
} > VERSIONS.txt
