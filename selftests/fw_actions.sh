#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# allow, drop and reject for TCP, UDP and ICMP, over IPv4 and IPv6, in both
# directions through the port, each as the client sees it: a connection
# or an echo, a timeout, or the RST / ICMP administratively-prohibited the
# firewall answers with.
#
#     netns $WL                    netns $HV
#     w0 10.9.0.2, fd00::2 <-veth-> p0 10.9.0.1, fd00::1 (port)

source "$(dirname "$0")/lib.sh"
sf_require python3 ping
sf_topo6
sf_ctl "$HV" port add dev p0
# Dual-stack servers: "::" takes IPv4 too.
for ns in "$WL" "$HV"; do
	sf_serve "$ns" tcp :: 5000
	sf_serve "$ns" udp :: 5001
done

# ping_outcome NS ADDR: reply, filtered (an ICMP error came back) or none.
ping_outcome()
{
	local out

	out=$(ip netns exec "$1" ping -c 1 -W 1 "$2" 2>&1) && { echo reply; return; }
	case $out in
	*"Packet filtered"* | *"Administratively prohibited"*) echo filtered ;;
	*) echo none ;;
	esac
}

# expect ACTION FAMILY: what the client of each protocol should see.
declare -A want
want[allow,tcp]=connected	want[allow,udp]=reply	want[allow,icmp]=reply
want[drop,tcp]=timeout		want[drop,udp]=timeout	want[drop,icmp]=none
want[reject,tcp]=refused	want[reject,icmp]=filtered
want[reject,udp,4]=unreachable	want[reject,udp,6]=denied

for action in allow drop reject; do
	cat >"$SF_TMP/fw.conf" <<-EOF
	port p0
	firewall default allow
	rule 1 $action proto tcp dport 5000
	rule 2 $action proto udp dport 5001
	rule 3 $action proto icmp icmp-type 8
	rule 4 $action proto icmpv6 icmp-type 128
	EOF
	sf_ctl "$HV" apply -f "$SF_TMP/fw.conf"
	for fam in 4 6; do
		for way in in out; do
			if [ $way = in ]; then
				client=$WL; server=10.9.0.1; [ $fam = 6 ] && server=fd00::1
			else
				client=$HV; server=10.9.0.2; [ $fam = 6 ] && server=fd00::2
			fi
			what="$action IPv$fam ${way}bound"
			check_eq "$what: tcp" "$(sf_probe "$client" tcp "$server" 5000)" \
				"${want[$action,tcp]}"
			check_eq "$what: udp" "$(sf_probe "$client" udp "$server" 5001)" \
				"${want[$action,udp]:-${want[$action,udp,$fam]}}"
			check_eq "$what: icmp echo" "$(ping_outcome "$client" "$server")" \
				"${want[$action,icmp]}"
		done
	done
	check_eq "$action: the rules judged every first packet" \
		"$(sf_ctl "$HV" -j fw show | python3 -c '
import json, sys
fw = json.load(sys.stdin)
print([r["flows"] if r["action"] == "allow" else r["packets"] > 0 for r in fw["rules"]])')" \
		"$([ $action = allow ] && echo '[4, 4, 2, 2]' || echo '[True, True, True, True]')"
done
sf_done
