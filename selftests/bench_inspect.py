#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Files and a web server of bench_inspect.sh.

bench_inspect.py gen DIR RULES MB HOSTS
    DIR/ips.rules: RULES content rules in the Suricata subset of slotd's ips
    kind (to-server URL and header probes, to-client payload markers with
    hex bytes, a few nocase, offset/depth and distance/within); DIR/bulk.bin:
    MB MiB of HTML-like text made of words that share prefixes with the
    rules' contents, none of which occurs in it (checked); DIR/webrep.db:
    HOSTS entries (hosts, wildcards, URL prefixes) listing bench.example
    (90 news); DIR/bulk.bin.tail: the content of a drop rule to the
    client. Deterministic (fixed seed).
bench_inspect.py serve ADDR PORT FILE
    HTTP/1.0-style server, one connection at a time: GET /bulk sends FILE
    with sendfile(2), GET /bulkN FILE N times over, GET /tail FILE and
    then FILE.tail, any other path a 13-byte page; every answer says
    Connection: close and closes.
"""

import os
import random
import socket
import sys

BLOCK = 1 << 16

WORDS = ("the and for with admin login select union script cgi bin php "
         "index html body div class href http www user agent cookie "
         "session token upload download shell cmd exec passwd etc config "
         "backup wp content include eval base64 decode alert document "
         "window location iframe src style table form input value submit "
         "search query page item order product cart account data api json "
         "xml version update delete insert into from where table").split()


def token(rng, n):
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789")
                   for _ in range(n))


def contents(rng, n):
    """n distinct rule bodies: (text for the rules file, [needles])."""
    seen = set()
    out = []
    kinds = ("uri", "ua", "hdr", "marker", "pair")
    while len(out) < n:
        i = len(out)
        kind = kinds[i % len(kinds)]
        t = token(rng, rng.randint(6, 10))
        if t in seen:
            continue
        seen.add(t)
        word = rng.choice(WORDS)
        if kind == "uri":
            c = "/%s/%s.php?%s=" % (word, t, rng.choice(WORDS))
            opt = 'content:"%s"; nocase;' % c if i % 4 == 0 else \
                'content:"%s";' % c
            out.append(("to_server", opt, [c.lower() if i % 4 == 0 else c]))
        elif kind == "ua":
            c = "User-Agent|3a| %s-%s" % (word, t)
            needle = "User-Agent: %s-%s" % (word, t)
            out.append(("to_server", 'content:"%s"; depth:512;' % c,
                        [needle]))
        elif kind == "hdr":
            c = "X-%s-%s" % (word.capitalize(), t)
            out.append(("to_server", 'content:"%s"; offset:16; depth:1024;'
                        % c, [c]))
        elif kind == "marker":
            b = bytes(rng.randrange(256) for _ in range(4))
            hx = " ".join("%02x" % x for x in b)
            c = '|%s|%s' % (hx, t)
            out.append(("to_client", 'content:"%s";' % c,
                        [b + t.encode()]))
        else:
            a = "<%s %s=" % (rng.choice(("script", "iframe", "object")), t)
            b = "%s(" % token(rng, 8)
            out.append(("to_client", 'content:"%s"; nocase; content:"%s"; '
                        'distance:0; within:256;' % (a, b),
                        [a.lower(), b]))
    return out


def gen(d, nrules, mb, nhosts):
    rng = random.Random(6)
    rules = contents(rng, nrules)
    with open(os.path.join(d, "ips.rules"), "w") as f:
        f.write("# bench_inspect.py: %d content rules\n" % nrules)
        for i, (flow, opt, _) in enumerate(rules):
            sid = 2000000 + i
            action = "drop" if i % 3 == 0 else "alert"
            if flow == "to_server":
                hdr = "%s tcp any any -> $HOME_NET $HTTP_PORTS" % action
            else:
                hdr = "%s tcp $HOME_NET $HTTP_PORTS -> any any" % action
            f.write('%s (msg:"BENCH rule %d"; flow:%s,established; %s '
                    'classtype:web-application-attack; sid:%d; rev:1;)\n'
                    % (hdr, i, flow, opt, sid))

    # one block of text, repeated; checked with its seam
    words = []
    size = 0
    while size < BLOCK:
        w = rng.choice(WORDS)
        if rng.random() < 0.1:
            w = "<%s class=\"%s\">" % (rng.choice(("div", "p", "a")), w)
        elif rng.random() < 0.05:
            w = "/%s/%s.php?%s=%d" % (w, rng.choice(WORDS),
                                     rng.choice(WORDS), rng.randrange(1000))
        words.append(w)
        size += len(w) + 1
    block = " ".join(words).encode()[:BLOCK]
    seam = block + block
    low = seam.lower()
    for _, _, needles in rules:
        for n in needles:
            nb = n if isinstance(n, bytes) else n.encode()
            if nb in seam or nb.lower() in low:
                sys.exit("bench_inspect.py: %r occurs in the data" % nb)
    with open(os.path.join(d, "bulk.bin"), "wb") as f:
        for _ in range(mb * (1 << 20) // BLOCK):
            f.write(block)
    # what /tail sends after the file: the needle of rule 3, a drop rule
    # to the client
    with open(os.path.join(d, "bulk.bin.tail"), "wb") as f:
        f.write(rules[3][2][0] + b"\n")

    cats = ("news", "shopping", "malware", "phishing", "ads", "social")
    with open(os.path.join(d, "webrep.db"), "w") as f:
        f.write("# bench_inspect.py: %d entries\n" % nhosts)
        f.write("bench.example 90 news\n")
        for i in range(nhosts - 1):
            name = "%s%d.%s.example" % (rng.choice(WORDS), i, token(rng, 5))
            if i % 10 == 0:
                name = "*." + name
            elif i % 10 == 1:
                name += "/%s/" % rng.choice(WORDS)
            f.write("%s %d %s\n" % (name, rng.randrange(101),
                                    rng.choice(cats)))


def send_file(c, fd, size):
    """All SIZE bytes of FD to socket C, with sendfile(2)."""
    off = 0
    while off < size:
        n = os.sendfile(c.fileno(), fd, off, size - off)
        if n <= 0:
            raise OSError("sendfile")
        off += n


def serve(addr, port, path):
    fd = os.open(path, os.O_RDONLY)
    size = os.fstat(fd).st_size
    with open(path + ".tail", "rb") as f:
        tail = f.read()
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((addr, port))
    ls.listen(128)
    while True:
        c, _ = ls.accept()
        try:
            req = b""
            while b"\r\n\r\n" not in req:
                b = c.recv(4096)
                if not b:
                    break
                req += b
            if req.startswith(b"GET /tail"):
                c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n"
                          b"Connection: close\r\n\r\n" % (size + len(tail)))
                send_file(c, fd, size)
                c.sendall(tail)
            elif req.startswith(b"GET /bulk"):
                times = req[9:].split(b"?")[0].split(b" ")[0]
                times = int(times) if times.isdigit() else 1
                c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n"
                          b"Content-Type: application/octet-stream\r\n"
                          b"Connection: close\r\n\r\n" % (size * times))
                for _ in range(times):
                    send_file(c, fd, size)
            elif req:
                c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 13\r\n"
                          b"Connection: close\r\n\r\nbench inspect")
        except OSError:
            pass
        c.close()


def main():
    a = sys.argv[1:]
    if len(a) == 5 and a[0] == "gen":
        gen(a[1], int(a[2]), int(a[3]), int(a[4]))
    elif len(a) == 4 and a[0] == "serve":
        serve(a[1], int(a[2]), a[3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
