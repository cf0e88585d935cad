#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Clients and a DNS server for the inspection tests (inspect_*.sh).

inspect_net.py split ADDR PORT PART1 PART2
        connect (TCP_NODELAY), send PART1, wait 0.3 s (PART1 is acked by
        then, so PART2 goes in a segment of its own), send PART2, read the
        answer; prints its first line, "reset", "timeout" or "closed"
        (closed without a byte). \\r\\n in the parts are CR LF; the
        source port is ${SF_SRC_PORT:-0} (0: any)
inspect_net.py dns-serve ADDR PORT
        a DNS server until killed: answers every query with one A record,
        192.0.2.53; prints "listening" when it is bound
inspect_net.py dns ADDR PORT NAME
        one A query for NAME from source port ${SF_SRC_PORT:-0}; prints
        the first address of the answer or "timeout"
Clients wait ${SF_PROBE_TIMEOUT:-3} seconds at most.
"""
import os
import socket
import struct
import sys
import time

TIMEOUT = float(os.environ.get('SF_PROBE_TIMEOUT', '3'))


def unescape(s):
    return s.replace('\\r', '\r').replace('\\n', '\n').encode()


def split(addr, port, part1, part2):
    src = ('', int(os.environ.get('SF_SRC_PORT', '0')))
    s = socket.create_connection((addr, port), timeout=TIMEOUT,
                                 source_address=src)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    s.sendall(unescape(part1))
    time.sleep(0.3)
    s.sendall(unescape(part2))
    data = b''
    try:
        while b'\n' not in data:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
    except ConnectionResetError:
        return 'reset'
    except socket.timeout:
        return 'timeout'
    if not data:
        return 'closed'
    return data.split(b'\r\n')[0].decode(errors='replace')


def qname(name):
    out = b''
    for label in name.rstrip('.').split('.'):
        out += bytes([len(label)]) + label.encode()
    return out + b'\0'


def dns_serve(addr, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((addr, port))
    print('listening', flush=True)
    while True:
        q, peer = s.recvfrom(2048)
        if len(q) < 12:
            continue
        end = q.index(b'\0', 12) + 5      # the question: name, type, class
        answer = (q[:2] + struct.pack('!HHHHH', 0x8180, 1, 1, 0, 0) +
                  q[12:end] +
                  struct.pack('!HHHIH', 0xc00c, 1, 1, 60, 4) +
                  socket.inet_aton('192.0.2.53'))
        s.sendto(answer, peer)


def dns(addr, port, name):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(('', int(os.environ.get('SF_SRC_PORT', '0'))))
    s.settimeout(TIMEOUT)
    qid = os.getpid() & 0xffff
    s.sendto(struct.pack('!HHHHHH', qid, 0x0100, 1, 0, 0, 0) + qname(name) +
             struct.pack('!HH', 1, 1), (addr, port))
    try:
        r, _ = s.recvfrom(2048)
    except socket.timeout:
        return 'timeout'
    if struct.unpack('!H', r[:2])[0] != qid or len(r) < 4:
        return 'bad answer'
    return socket.inet_ntoa(r[-4:])


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == 'split':
        print(split(args[0], int(args[1]), args[2], args[3]))
    elif cmd == 'dns-serve':
        dns_serve(args[0], int(args[1]))
    elif cmd == 'dns':
        print(dns(args[0], int(args[1]), args[2]))
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main()
