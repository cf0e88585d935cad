#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The module's own self-tests (kmod/selftest/, built with DEBUG into
# build/debug/ by `make module-debug`) run at load: the load must succeed
# and say they passed; the module must then unload cleanly.

source "$(dirname "$0")/lib.sh"
# SF_DEBUG_KO: the one built for another kernel (vm/debug-run.sh)
KO=${SF_DEBUG_KO:-$SF_TOP/build/debug/kmod/slotfilter.ko}
[ -f "$KO" ] || sf_skip "$KO not built (make module-debug)"

sf_module_unload
# insmod does not load what the module needs, as modprobe would.
modprobe -a nf_reject_ipv4 nf_reject_ipv6
dmesg -C
check "the DEBUG module loads" insmod "$KO"
check_eq "its chain self-tests passed" \
	"$(dmesg | grep -c 'slotfilter: chain self-tests: pass')" 1
check_eq "its flow table self-tests passed" \
	"$(dmesg | grep -c 'slotfilter: flow table self-tests: pass')" 1
check_eq "its classifier self-tests passed" \
	"$(dmesg | grep -c 'slotfilter: classify self-tests: pass')" 1
check_eq "no self-test failure reported" \
	"$(dmesg | grep -c 'slotfilter selftest:' || true)" 0
check "the DEBUG module unloads" rmmod slotfilter
sf_done
