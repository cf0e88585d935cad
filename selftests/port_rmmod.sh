#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# rmmod while a ping flood runs through attached ports in both directions:
# the unload detaches everything, traffic keeps flowing, the kernel log stays
# clean (the runner checks it), and the module loads and attaches again.
#
#     netns $WL             netns $HV
#     w0 10.9.0.2 <-veth-> p0 10.9.0.1 (port)
#     (w0 is a port too)

source "$(dirname "$0")/lib.sh"
sf_topo

sf_ctl "$HV" port add dev p0
sf_ctl "$WL" port add dev w0
ip netns exec "$WL" ping -f -q -w 120 10.9.0.1 >/dev/null 2>&1 &
flood=$!
sleep 2
check "flood counted at the port before rmmod" \
	test "$(sf_counter "$HV" p0 ingress packets)" -gt 10
check "rmmod under the flood" rmmod slotfilter
check_eq "module gone" "$(grep -c '^slotfilter ' /proc/modules || true)" 0
check "flood still passes after rmmod" \
	ip netns exec "$WL" ping -c 2 -i 0.2 -W 2 -q 10.9.0.1
check "modprobe while the flood runs" modprobe slotfilter
check "attach again under the flood" sf_ctl "$HV" port add dev p0
check "flood still running" kill -0 $flood
ip netns exec "$WL" ping -c 3 -i 0.2 -W 2 -q 10.9.0.1 >/dev/null
check "counting again after the reload" \
	test "$(sf_counter "$HV" p0 ingress packets)" -ge 3
kill $flood
wait $flood || true
check "rmmod again with the port attached, traffic idle" rmmod slotfilter
check "ping after the second rmmod" \
	ip netns exec "$WL" ping -c 2 -i 0.2 -W 2 -q 10.9.0.1
sf_done
