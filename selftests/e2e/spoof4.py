#!/usr/bin/env python3
# spoof4.py - TEST ONLY (selftests/e2e/t45_policy.sh): COUNT VXLAN frames over
# IPv4 from a forged source SRC4 with IP TTL TTL, through AF_PACKET, paced so
# the receiving veth's ring never overflows. The outer UDP checksum is the
# correct one, or with --bad a wrong non-zero one (the correct one + 1, so the
# receiving kernel counts it in Udp InCsumErrors). Prints COUNT.
#   spoof4.py IFACE DST_MAC SRC4 DST4 TTL COUNT [--bad]
import socket
import struct
import sys
import time


def fold(s):
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


def sum16(b):
    if len(b) % 2:
        b += b"\0"
    return sum(struct.unpack("!%dH" % (len(b) // 2), b))


ifname, dmac = sys.argv[1], bytes.fromhex(sys.argv[2].replace(":", ""))
src, dst = socket.inet_aton(sys.argv[3]), socket.inet_aton(sys.argv[4])
ttl, count, bad = int(sys.argv[5]), int(sys.argv[6]), "--bad" in sys.argv[7:]
sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
sock.bind((ifname, 0))
smac = sock.getsockname()[4]
# VNI 99 (no VXLAN device has it: the receiving stack drops the inner frame
# after the outer UDP checksum was checked) and a small inner Ethernet frame.
vxlan = struct.pack("!II", 0x08000000, 99 << 8) + bytes(12) + b"\x08\x00" + bytes(46)
for i in range(count):
    sport = 40000 + (i % 1000)
    udp = struct.pack("!HHHH", sport, 4789, 8 + len(vxlan), 0) + vxlan
    pseudo = src + dst + struct.pack("!BBH", 0, 17, len(udp))
    c = ~fold(sum16(pseudo) + sum16(udp)) & 0xFFFF
    if c == 0:
        c = 0xFFFF
    if bad:
        c = c + 1 if c < 0xFFFE else 1		# wrong, never 0 (no checksum)
    udp = udp[:6] + struct.pack("!H", c) + udp[8:]
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), i & 0xFFFF, 0, ttl, 17, 0,
                      src, dst)
    hdr = hdr[:10] + struct.pack("!H", ~fold(sum16(hdr)) & 0xFFFF) + hdr[12:]
    sock.send(dmac + smac + b"\x08\x00" + hdr + udp)
    if i % 32 == 31:
        time.sleep(0.002)
print(count)
