#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make bench`, inside one VM boot: what an attached port costs
# (bench_port.sh), the firewall (bench_fw.sh), then a service's round
# trip through slotd against NFQUEUE's (bench_svc.sh), then HTTP through
# the IPS and web reputation (bench_inspect.sh).
set -e
cd "$(dirname "$0")"
./bench_port.sh
./bench_fw.sh
./bench_svc.sh
./bench_inspect.sh
