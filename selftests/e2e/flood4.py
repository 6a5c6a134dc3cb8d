#!/usr/bin/env python3
# flood4.py - TEST ONLY (selftests/e2e): VXLAN frames (outer checksum 0)
# from COUNT distinct spoofed IPv4 sources 10.200.0.0 + i, through AF_PACKET,
# paced so the receiving veth's ring never overflows. Prints COUNT.
#   flood4.py IFACE DST_MAC DST4 COUNT
import socket
import struct
import sys
import time

ifname, dmac, dst, count = sys.argv[1], bytes.fromhex(sys.argv[2].replace(":", "")), \
    socket.inet_aton(sys.argv[3]), int(sys.argv[4])
sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
sock.bind((ifname, 0))
smac = sock.getsockname()[4]
vxlan = struct.pack("!II", 0x08000000, 99 << 8) + bytes(64)
for i in range(count):
    src = struct.pack("!I", (10 << 24 | 200 << 16) + i)
    udp = struct.pack("!HHHH", 40000, 4789, 8 + len(vxlan), 0) + vxlan
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), i & 0xFFFF, 0, 64, 17, 0,
                      src, dst)
    c = sum(struct.unpack("!10H", hdr))
    c = (c & 0xFFFF) + (c >> 16)
    c = (c & 0xFFFF) + (c >> 16)
    hdr = hdr[:10] + struct.pack("!H", ~c & 0xFFFF) + hdr[12:]
    sock.send(dmac + smac + b"\x08\x00" + hdr + udp)
    if i % 32 == 31:
        time.sleep(0.002)
print(count)
