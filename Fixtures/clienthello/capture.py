#!/usr/bin/env python3
"""Loopback listener for capture.sh: accepts one connection on 127.0.0.1, saves the bytes of the client's first
TLS handshake message (all records that carry it, headers included, nothing after it), then closes.

Usage: capture.py OUTPUT.bin PORT_FILE
Writes the chosen port to PORT_FILE once listening. Framing is followed only enough to know where the
ClientHello ends; parsing is the job of the code under test.
"""
import socket
import sys

output, port_file = sys.argv[1], sys.argv[2]
server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.bind(("127.0.0.1", 0))
server.listen(1)
with open(port_file, "w") as f:
    f.write(str(server.getsockname()[1]))
server.settimeout(20)
connection, _ = server.accept()
connection.settimeout(5)
data = b""


def read_at_least(count):
    global data
    while len(data) < count:
        chunk = connection.recv(65536)
        if not chunk:
            raise SystemExit(f"client closed after {len(data)} bytes")
        data += chunk


# Records until the handshake message (4-byte header + length) is complete.
position, handshake = 0, b""
while len(handshake) < 4 or len(handshake) < 4 + int.from_bytes(handshake[1:4], "big"):
    read_at_least(position + 5)
    length = int.from_bytes(data[position + 3:position + 5], "big")
    read_at_least(position + 5 + length)
    handshake += data[position + 5:position + 5 + length]
    position += 5 + length
connection.close()
server.close()
with open(output, "wb") as f:
    f.write(data[:position])
print(f"{output}: {position} bytes")
