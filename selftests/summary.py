#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Adds up the results of a `make check` run into its last line.

usage: summary.py [--unit LOG]... [--tap LOG --vm-status N]...

A unit log ends with "N passed, N failed". A TAP log is the kselftest
runner's output: each top-level result is one test program; when a program
printed TAP results of its own (a kselftest_harness program, or a shell test
using lib.sh's check), those sub-results are counted instead, and a program
that failed without a failed sub-result counts one failure more. A VM that
exited non-zero (kernel log findings, timeout) counts as a failure, and so
does every planned program that never reported.
"""
import argparse
import re
import sys

TOP = re.compile(r'^(not )?ok \d+ (selftests: \S+ \S+.*)$')
SUB = re.compile(r'^# (not )?ok \d+ (.*)$')
PLAN = re.compile(r'^1\.\.(\d+)$')
UNIT = re.compile(r'^(?:\w+: )?(\d+) passed, (\d+) failed')


class Tally:
    def __init__(self):
        self.passed = self.failed = self.skipped = 0
        self.failures = []

    def add(self, ok, name, skip=False):
        if not ok:
            self.failed += 1
            self.failures.append(name)
        elif skip:
            self.skipped += 1
            self.failures.append(name + ' (skipped)')
        else:
            self.passed += 1


def read_unit(path, t):
    found = False
    for line in open(path, errors='replace'):
        m = UNIT.match(line.strip())
        if m:
            found = True
            t.passed += int(m.group(1))
            t.failed += int(m.group(2))
    if not found:
        t.add(False, f'{path}: no "N passed, N failed" line')


def read_tap(path, vm_status, t):
    planned, reported, sub = None, 0, []
    for line in open(path, errors='replace'):
        line = line.rstrip('\n')
        m = PLAN.match(line)
        if m and planned is None:
            planned = int(m.group(1))
            continue
        m = SUB.match(line)
        if m:
            sub.append((not m.group(1), m.group(2)))
            continue
        m = TOP.match(line)
        if not m:
            continue
        reported += 1
        ok, name = not m.group(1), m.group(2)
        prog = name.split(' # ')[0]
        for sub_ok, sub_name in sub:
            t.add(sub_ok, f'{prog}: {sub_name.split(" # ")[0]}',
                  skip=' # SKIP' in sub_name)
        if not sub:
            t.add(ok, prog, skip=' # SKIP' in name)
        elif not ok and all(s for s, _ in sub):
            t.add(False, name)
        sub = []
    if planned is None:
        t.add(False, f'{path}: the selftests never started')
    elif reported < planned:
        for _ in range(planned - reported):
            t.add(False, f'{path}: a test never reported')
    if vm_status != 0:
        t.add(False, f'{path}: the VM exited with status {vm_status}')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--unit', action='append', default=[])
    ap.add_argument('--tap', action='append', default=[])
    ap.add_argument('--vm-status', action='append', type=int, default=[])
    args = ap.parse_args()
    if len(args.tap) != len(args.vm_status):
        ap.error('each --tap needs its --vm-status')

    t = Tally()
    for path in args.unit:
        read_unit(path, t)
    for path, status in zip(args.tap, args.vm_status):
        read_tap(path, status, t)
    for name in t.failures:
        print(f'FAIL: {name}' if not name.endswith('(skipped)')
              else f'SKIP: {name[:-10]}')
    print(f'check: {t.passed} passed, {t.failed} failed, {t.skipped} skipped')
    return 1 if t.failed or t.skipped or not t.passed else 0


if __name__ == '__main__':
    sys.exit(main())
