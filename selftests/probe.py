#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Clients and servers the firewall tests talk through.

probe.py serve tcp|udp ADDR PORT   serve until killed: TCP sends "ok" and
                                   closes, UDP echoes each datagram
probe.py tcp ADDR PORT             connect; prints connected, refused,
                                   unreachable, denied or timeout
probe.py udp ADDR PORT [PAYLOAD]   send one datagram ("probe" unless
                                   PAYLOAD is given), wait for the echo;
                                   prints reply, refused, unreachable,
                                   denied or timeout
The client waits ${SF_PROBE_TIMEOUT:-1} seconds at most.
"""
import errno
import os
import socket
import sys

OUTCOME = {
    errno.ECONNREFUSED: 'refused',
    errno.EHOSTUNREACH: 'unreachable',   # ICMP admin prohibited (IPv4)
    errno.ENETUNREACH: 'unreachable',
    errno.EACCES: 'denied',              # ICMPv6 admin prohibited
    errno.EPERM: 'denied',
    errno.ENOBUFS: 'dropped',            # dropped at the sender's egress
}


def family(addr):
    return socket.AF_INET6 if ':' in addr else socket.AF_INET


def serve(proto, addr, port):
    kind = socket.SOCK_STREAM if proto == 'tcp' else socket.SOCK_DGRAM
    s = socket.socket(family(addr), kind)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    if proto == 'tcp':
        s.listen(16)
    print('listening', flush=True)
    while True:
        if proto == 'tcp':
            c, _ = s.accept()
            c.sendall(b'ok')
            c.close()
        else:
            data, peer = s.recvfrom(2048)
            s.sendto(data, peer)


def client(proto, addr, port, payload=b'probe'):
    timeout = float(os.environ.get('SF_PROBE_TIMEOUT', '1'))
    kind = socket.SOCK_STREAM if proto == 'tcp' else socket.SOCK_DGRAM
    s = socket.socket(family(addr), kind)
    s.settimeout(timeout)
    try:
        s.connect((addr, port))
        if proto == 'tcp':
            return 'connected'
        s.send(payload)
        return 'reply' if s.recv(2048) == payload else 'garbled'
    except socket.timeout:
        return 'timeout'
    except OSError as e:
        return OUTCOME.get(e.errno, 'error %d' % e.errno)


def main():
    if len(sys.argv) == 5 and sys.argv[1] == 'serve':
        serve(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    elif len(sys.argv) == 4 and sys.argv[1] in ('tcp', 'udp'):
        print(client(sys.argv[1], sys.argv[2], int(sys.argv[3])))
    elif len(sys.argv) == 5 and sys.argv[1] == 'udp':
        print(client('udp', sys.argv[2], int(sys.argv[3]),
                     sys.argv[4].encode()))
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main()
