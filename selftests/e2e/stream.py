#!/usr/bin/env python3
# stream.py - TEST ONLY (selftests/e2e): a steady stream of numbered UDP
# datagrams, and a listener that counts which of them arrived.
#   stream.py send ADDR PORT COUNT RATE    COUNT datagrams at RATE per second;
#                                          prints the number sent
#   stream.py listen ADDR PORT IDLE        prints "ready", then counts until
#                                          IDLE seconds pass with nothing new;
#                                          prints "RECEIVED DISTINCT MISSING..."
#                                          (MISSING: the first 20 gaps below
#                                          the highest number seen)
import socket
import struct
import sys
import time


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def send(addr, port, count, rate):
    s = socket.socket(family(addr), socket.SOCK_DGRAM)
    start = time.monotonic()
    for i in range(count):
        # Paced by the clock, not by sleeps that add up: datagram i leaves
        # at start + i / rate.
        delay = start + i / rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        s.sendto(struct.pack("!Q", i) + bytes(56), (addr, port))
    print(count, flush=True)


def listen(addr, port, idle):
    s = socket.socket(family(addr), socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    s.bind((addr, port))
    s.settimeout(idle)
    seen = set()
    n = 0
    print("ready", flush=True)
    try:
        while True:
            d = s.recv(2048)
            n += 1
            if len(d) >= 8:
                seen.add(struct.unpack("!Q", d[:8])[0])
    except socket.timeout:
        pass
    top = max(seen) if seen else -1
    missing = [i for i in range(top) if i not in seen][:20]
    print(n, len(seen), *missing, flush=True)


def main(argv):
    if len(argv) == 6 and argv[1] == "send":
        send(argv[2], int(argv[3]), int(argv[4]), float(argv[5]))
    elif len(argv) == 5 and argv[1] == "listen":
        listen(argv[2], int(argv[3]), float(argv[4]))
    else:
        sys.exit(__doc__ if __doc__ else "usage: stream.py send|listen ...")


if __name__ == "__main__":
    main(sys.argv)
