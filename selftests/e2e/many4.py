#!/usr/bin/env python3
# many4.py - TEST ONLY (selftests/e2e t70): VXLAN frames from SOURCES
# distinct IPv4 sources 10.200.0.1 .. 10.200.0.SOURCES, round robin, through
# AF_PACKET, for SECONDS, paced so the receiving veth's ring never
# overflows. The outer UDP checksum is computed here (RFC 768 over the
# pseudo-header, the UDP header and the payload); source BAD_INDEX (1-based,
# 0: none) gets every BAD_EVERY-th of its frames with a wrong one. Prints
# what it sent, its own count: {"frames": N, "bad": B,
# "sources": {"10.200.0.K": {"packets": P, "bad": B}}}.
#   many4.py IFACE DST_MAC DST4 SOURCES SECONDS BAD_INDEX BAD_EVERY
import json
import socket
import struct
import sys
import time

ifname, dmac, dst = sys.argv[1], bytes.fromhex(sys.argv[2].replace(":", "")), \
    socket.inet_aton(sys.argv[3])
nsrc, secs, bad_index, bad_every = int(sys.argv[4]), float(sys.argv[5]), \
    int(sys.argv[6]), int(sys.argv[7])


def fold(s):
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


def sum16(b):
    if len(b) % 2:
        b += b"\0"
    return sum(struct.unpack("!%dH" % (len(b) // 2), b))


sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
sock.bind((ifname, 0))
smac = sock.getsockname()[4]
# VXLAN header (I flag, VNI 77) and an inner Ethernet frame of 64 bytes.
payload = struct.pack("!II", 0x08000000, 77 << 8) + bytes(range(64))
count = {}
end, i = time.time() + secs, 0
while time.time() < end:
    k = i % nsrc + 1
    src = struct.pack("!I", (10 << 24 | 200 << 16) + k)
    ulen = 8 + len(payload)
    udp = struct.pack("!HHHH", 40000 + k, 4789, ulen, 0) + payload
    c = ~fold(sum16(src + dst + struct.pack("!BBH", 0, 17, ulen)) + sum16(udp)) & 0xFFFF
    if c == 0:
        c = 0xFFFF
    n = count.setdefault(socket.inet_ntoa(src), {"packets": 0, "bad": 0})
    n["packets"] += 1
    if k == bad_index and n["packets"] % bad_every == 0:
        c ^= 0x0101     # wrong, and never 0 (which would mean "no checksum")
        n["bad"] += 1
    udp = udp[:6] + struct.pack("!H", c) + udp[8:]
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), i & 0xFFFF, 0, 64, 17, 0,
                      src, dst)
    hdr = hdr[:10] + struct.pack("!H", ~fold(sum16(hdr)) & 0xFFFF) + hdr[12:]
    sock.send(dmac + smac + b"\x08\x00" + hdr + udp)
    i += 1
    if i % 32 == 0:
        time.sleep(0.003)
print(json.dumps({"frames": i, "bad": sum(v["bad"] for v in count.values()),
                  "sources": count}))
