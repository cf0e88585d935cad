#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The port's counters move by exactly the packets and bytes on the wire:
# ICMP echo requests in (ingress), replies out (egress), frame lengths with
# the Ethernet header; ARP counted too, equal to the device's own counters.
#
#     netns $WL             netns $HV
#     w0 10.9.0.2 <-veth-> p0 10.9.0.1 (port)

source "$(dirname "$0")/lib.sh"
sf_require python3
sf_topo
sf_ctl "$HV" port add dev p0

# mark: remember the port's counters before a step.
mark()
{
	in_p=$(sf_counter "$HV" p0 ingress packets)
	in_b=$(sf_counter "$HV" p0 ingress bytes)
	out_p=$(sf_counter "$HV" p0 egress packets)
	out_b=$(sf_counter "$HV" p0 egress bytes)
}

mark
ip netns exec "$WL" ping -c 10 -i 0.05 -W 2 -q 10.9.0.1 >/dev/null
check_eq "ping -c 10: ingress packets" \
	$(($(sf_counter "$HV" p0 ingress packets) - in_p)) 10
check_eq "ping -c 10: egress packets" \
	$(($(sf_counter "$HV" p0 egress packets) - out_p)) 10
# 56 bytes of data + 8 ICMP + 20 IPv4 + 14 Ethernet = 98 per frame.
check_eq "ping -c 10: ingress bytes" \
	$(($(sf_counter "$HV" p0 ingress bytes) - in_b)) 980
check_eq "ping -c 10: egress bytes" \
	$(($(sf_counter "$HV" p0 egress bytes) - out_b)) 980

mark
ip netns exec "$HV" ping -c 5 -s 1000 -i 0.05 -W 2 -q 10.9.0.2 >/dev/null
check_eq "ping -c 5 -s 1000 from the host: egress bytes" \
	$(($(sf_counter "$HV" p0 egress bytes) - out_b)) 5210
check_eq "ping -c 5 -s 1000 from the host: ingress bytes" \
	$(($(sf_counter "$HV" p0 ingress bytes) - in_b)) 5210

# Without static neighbours ARP goes over the wire as well: the port must
# count exactly what the device itself counted. Neighbour timers may send a
# probe at any time, so compare snapshots taken while nothing moved.
snapshot()
{
	local a b

	b=$(counts)
	while a=$b; b=$(counts); [ "$a" != "$b" ]; do :; done
	echo "$a"
}

counts()
{
	echo "$(sf_counter "$HV" p0 ingress packets)" \
		"$(sf_devstat "$HV" p0 rx_packets)" \
		"$(sf_counter "$HV" p0 egress packets)" \
		"$(sf_devstat "$HV" p0 tx_packets)"
}

ip -n "$WL" neigh del 10.9.0.1 dev w0
ip -n "$HV" neigh del 10.9.0.2 dev p0
read -r in0 rx0 out0 tx0 <<<"$(snapshot)"
ip netns exec "$WL" ping -c 3 -i 0.05 -W 2 -q 10.9.0.1 >/dev/null
read -r in1 rx1 out1 tx1 <<<"$(snapshot)"
check_eq "with ARP: ingress packets equal the device's rx_packets" \
	$((in1 - in0)) $((rx1 - rx0))
check_eq "with ARP: egress packets equal the device's tx_packets" \
	$((out1 - out0)) $((tx1 - tx0))
check "with ARP: more than the 3 echo requests came in" \
	test $((in1 - in0)) -gt 3

check_eq "no drops, nothing stolen" "$(sf_counter "$HV" p0 ingress drops) $(sf_counter "$HV" p0 ingress stolen) $(sf_counter "$HV" p0 egress drops)" "0 0 0"
check_eq "empty slots judged nothing" "$(sf_ctl "$HV" -j port show dev p0 | python3 -c '
import json, sys
p = json.load(sys.stdin)[0]
print(sum(s["packets"] + s["bytes"] + s["drops"] for d in ("ingress", "egress") for s in p[d]["slots"]),
      sorted(set(s["filter"] for d in ("ingress", "egress") for s in p[d]["slots"])),
      [s["slot"] for s in p["egress"]["slots"]] == list(range(12)))')" "0 ['none'] True"
sf_done
