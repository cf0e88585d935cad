#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Atomic replace under load: while pktgen sends UDP from the workload with
# a new source port on nearly every packet (so nearly every packet is
# judged by the ruleset, not by a flow), two rulesets of 10,000 rules are
# swapped ${SF_SWAPS:-100} times. Both end with the one rule that allows
# the traffic, after 9,999 rules that differ between them and never match,
# under default drop: a packet judged by a ruleset that was not complete
# (rules missing, its classifier half built, a mix of the two) would be
# dropped. So: not one drop, every packet judged, no kernel warning.
#
#     netns $WL (pktgen)     netns $HV
#     w0 10.9.0.2 -------> p0 10.9.0.1 (port) -> 10.9.0.99: not local,
#                                                no forwarding: dropped
#                                                after the hook

source "$(dirname "$0")/lib.sh"
sf_require python3
SWAPS=${SF_SWAPS:-100}
RULES=${SF_SWAP_RULES:-10000}
sf_topo
sf_ctl "$HV" port add dev p0
modprobe pktgen

# gen FILE OFFSET: RULES rules, the filler ones differing by OFFSET.
gen()
{
	awk -v n="$RULES" -v off="$2" 'BEGIN {
		print "port p0"
		print "firewall default drop"
		print "firewall flow-max 1000000"
		print "firewall timeout udp 5"
		for (i = 1; i < n; i++)
			printf "rule %d drop src 172.%d.%d.%d proto udp dport %d\n",
			       off + i, 16 + off / 10000, int(i / 256), i % 256, 1000 + i
		printf "rule %d allow proto udp dport 6000\n", 1000000
	}' >"$1"
}
gen "$SF_TMP/a.conf" 0
gen "$SF_TMP/b.conf" 10000
sf_ctl "$HV" apply -f "$SF_TMP/a.conf"

pg()
{
	ip netns exec "$WL" sh -c "echo '$2' > /proc/net/pktgen/$1"
}
mac=$(ip netns exec "$HV" cat /sys/class/net/p0/address)
pg kpktgend_0 rem_device_all
pg kpktgend_0 "add_device w0"
for cmd in "count 0" "pkt_size 64" "delay 200000" "dst 10.9.0.99" \
	   "dst_mac $mac" "src_min 10.9.0.2" "src_max 10.9.0.2" \
	   "udp_dst_min 6000" "udp_dst_max 6000" "udp_src_min 1" \
	   "udp_src_max 65535" "flag UDPSRC_RND"; do
	pg w0 "$cmd"
done

rx0=$(sf_devstat "$HV" p0 rx_packets)
in0=$(sf_counter "$HV" p0 ingress packets)
judged0=$(sf_counter "$HV" p0 ingress packets 2)
gen0=$(sf_fw_gen "$HV")
pg pgctrl start &
sender=$!
sleep 1

for i in $(seq "$SWAPS"); do
	f=a
	[ $((i % 2)) = 1 ] && f=b
	sf_ctl "$HV" apply -f "$SF_TMP/$f.conf" || break
done
gen1=$(sf_fw_gen "$HV")
sleep 1
pg pgctrl stop
wait $sender || true

check_eq "$SWAPS commits of $RULES rules each" $((gen1 - gen0)) "$SWAPS"
rx=$(($(sf_devstat "$HV" p0 rx_packets) - rx0))
check "traffic flowed during the swaps ($rx packets)" test "$rx" -gt 1000
check_eq "the port saw every packet the device received" \
	$(($(sf_counter "$HV" p0 ingress packets) - in0)) "$rx"
check_eq "slot 2 judged every one of them" \
	$(($(sf_counter "$HV" p0 ingress packets 2) - judged0)) "$rx"
check_eq "not one packet dropped" "$(sf_counter "$HV" p0 ingress drops)" 0
check_eq "the last ruleset is in place" \
	"$(sf_ctl "$HV" -j fw show | python3 -c '
import json, sys
fw = json.load(sys.stdin)
print(len(fw["rules"]), fw["rules"][0]["id"], fw["rules"][-1]["id"])')" \
	"$RULES $(( SWAPS % 2 ? 10001 : 1 )) 1000000"
sf_done
