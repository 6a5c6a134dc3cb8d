#!/usr/bin/env python3
# send6.py - TEST ONLY (selftests/e2e): sends IPv6 UDP datagrams behind N
# destination-options extension headers through AF_PACKET, which no socket
# option can make (IPV6_DSTOPTS adds one header). Linux delivers through any
# number of them; csumguard skips 8 (CG_IPV6_MAX_EXT) and counts the rest as
# "unparsed" for the source (issue 6).
#
#   send6.py IFACE DST_MAC SRC6 DST6 DPORT N_EXT COUNT [--bad]
#
# The UDP checksum is computed here (RFC 8200 8.1 pseudo-header); --bad
# stores it plus one. SRC6 may be a v4-mapped ::ffff:a.b.c.d address.
import socket
import struct
import sys


def csum16(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


def main():
    a = sys.argv[1:]
    if len(a) < 7:
        sys.exit("usage: send6.py IFACE DST_MAC SRC6 DST6 DPORT N_EXT COUNT [--bad]")
    ifname, dmac, src, dst = a[0], bytes.fromhex(a[1].replace(":", "")), a[2], a[3]
    dport, n_ext, count, bad = int(a[4]), int(a[5]), int(a[6]), "--bad" in a[7:]
    s6, d6 = socket.inet_pton(socket.AF_INET6, src), socket.inet_pton(socket.AF_INET6, dst)
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    sock.bind((ifname, 0))
    smac = sock.getsockname()[4]
    for i in range(count):
        payload = b"csumguard-e2e-%06d" % i + bytes(range(32))
        ulen = 8 + len(payload)
        udp = struct.pack("!HHHH", 40000 + i % 1000, dport, ulen, 0) + payload
        pseudo = s6 + d6 + struct.pack("!I3xB", ulen, 17)
        c = (~csum16(pseudo + udp)) & 0xFFFF or 0xFFFF
        if bad:
            c = (c + 1) & 0xFFFF or 1
        udp = udp[:6] + struct.pack("!H", c) + udp[8:]
        ext = b""
        for k in range(n_ext):
            nh = 17 if k == n_ext - 1 else 60
            ext += struct.pack("!BB", nh, 0) + b"\x01\x04\0\0\0\0"  # PadN, 4 bytes
        first = 60 if n_ext else 17
        ip6 = struct.pack("!IHBB", 6 << 28, len(ext) + ulen, first, 64) + s6 + d6
        sock.send(dmac + smac + b"\x86\xdd" + ip6 + ext + udp)
    print(count)


main()
