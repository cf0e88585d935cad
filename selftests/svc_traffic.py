#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Traffic for the service tests (service_*.sh).

svc_traffic.py udp ADDR PORT N [DATA]    one socket: N datagrams, each
                                         waiting for its echo; prints
                                         "REPLIES LAST" (LAST: the last
                                         echo's data, "-" if none)
svc_traffic.py burst ADDR PORT N [DATA]  one socket: N datagrams at once,
                                         then the echoes until none comes
                                         for the timeout; prints "REPLIES"
svc_traffic.py seq ADDR PORT N            one socket: N datagrams at once,
                                         "0000", "0001"...; prints the
                                         echoes in the order they came
svc_traffic.py sink ADDR PORT            TCP: accept one connection, read
                                         it to the end; prints "BYTES SHA256"
svc_traffic.py send ADDR PORT BYTES      TCP: send BYTES pseudo-random
                                         bytes; prints "BYTES SHA256"
The clients wait ${SF_PROBE_TIMEOUT:-5} seconds for each answer.
"""
import hashlib
import os
import random
import socket
import sys

TIMEOUT = float(os.environ.get('SF_PROBE_TIMEOUT', '5'))


def family(addr):
    return socket.AF_INET6 if ':' in addr else socket.AF_INET


def udp(addr, port, n, data):
    s = socket.socket(family(addr), socket.SOCK_DGRAM)
    s.settimeout(TIMEOUT)
    s.connect((addr, port))
    replies, last = 0, '-'
    for _ in range(n):
        s.send(data)
        try:
            last = s.recv(2048).decode(errors='replace')
            replies += 1
        except socket.timeout:
            pass
    print(replies, last)


def burst(addr, port, n, data):
    s = socket.socket(family(addr), socket.SOCK_DGRAM)
    s.settimeout(TIMEOUT)
    s.connect((addr, port))
    for _ in range(n):
        s.send(data)
    replies = 0
    try:
        while replies < n:
            s.recv(2048)
            replies += 1
    except socket.timeout:
        pass
    print(replies)


def seq(addr, port, n):
    s = socket.socket(family(addr), socket.SOCK_DGRAM)
    s.settimeout(TIMEOUT)
    s.connect((addr, port))
    for i in range(n):
        s.send(b'%04d' % i)
    got = []
    try:
        while len(got) < n:
            got.append(s.recv(2048).decode(errors='replace'))
    except socket.timeout:
        pass
    print(' '.join(got))


def sink(addr, port):
    s = socket.socket(family(addr), socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(1)
    print('listening', flush=True)
    c, _ = s.accept()
    h, total = hashlib.sha256(), 0
    while True:
        b = c.recv(65536)
        if not b:
            break
        h.update(b)
        total += len(b)
    print(total, h.hexdigest(), flush=True)


def send(addr, port, nbytes):
    rnd = random.Random(4)
    s = socket.create_connection((addr, port), timeout=60)
    h, left = hashlib.sha256(), nbytes
    while left:
        b = rnd.randbytes(min(left, 65536))
        s.sendall(b)
        h.update(b)
        left -= len(b)
    s.shutdown(socket.SHUT_WR)
    s.recv(1)
    print(nbytes, h.hexdigest())


def main():
    a = sys.argv[1:]
    if len(a) in (4, 5) and a[0] in ('udp', 'burst'):
        data = (a[4] if len(a) == 5 else 'probe').encode()
        (udp if a[0] == 'udp' else burst)(a[1], int(a[2]), int(a[3]), data)
    elif len(a) == 4 and a[0] == 'seq':
        seq(a[1], int(a[2]), int(a[3]))
    elif len(a) == 3 and a[0] == 'sink':
        sink(a[1], int(a[2]))
    elif len(a) == 4 and a[0] == 'send':
        send(a[1], int(a[2]), int(a[3]))
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main()
