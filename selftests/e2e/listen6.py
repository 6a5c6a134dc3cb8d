#!/usr/bin/env python3
# listen6.py - TEST ONLY (selftests/e2e): counts UDP datagrams that reach
# [ADDR]:PORT until SECONDS pass with nothing new; prints the count.
#   listen6.py ADDR PORT SECONDS
import socket
import sys

s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind((sys.argv[1], int(sys.argv[2])))
s.settimeout(float(sys.argv[3]))
n = 0
print("ready", flush=True)
try:
    while True:
        s.recv(65536)
        n += 1
except socket.timeout:
    pass
print(n, flush=True)
