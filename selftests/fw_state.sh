#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The firewall's state and matching: the reply direction of an allowed flow
# passes without a rule of its own while unsolicited packets the other way
# do not; TCP strict; first match wins; applied-to a port and a tag (and a
# tag change takes effect on the next packet); an address set's elements
# changed live.
#
#     netns $WL             netns $HV                netns $WL2
#     w0 10.9.0.2 <-veth-> p0 10.9.0.1 (port)
#                          p1 10.9.1.1 (port) <-veth-> w1 10.9.1.2

source "$(dirname "$0")/lib.sh"
sf_require python3 ping
WL2=sf-wl2-$SF_RUN
sf_topo
sf_ns "$WL2"
sf_veth "$HV" p1 10.9.1.1 "$WL2" w1 10.9.1.2
sf_ctl "$HV" port add dev p0
sf_ctl "$HV" port add dev p1
for ns in "$WL" "$HV" "$WL2"; do
	sf_serve "$ns" tcp 0.0.0.0 5000
	sf_serve "$ns" udp 0.0.0.0 5001
done

apply()
{
	printf '%s\n' "$@" >"$SF_TMP/fw.conf"
	sf_ctl "$HV" apply -f "$SF_TMP/fw.conf"
}

# Default drop, one rule: the workload may open TCP to the host.
apply "port p0" "port p1" "firewall default drop" \
	"rule 10 allow dir ingress proto tcp dport 5000"
check_eq "allowed direction: workload -> host tcp" \
	"$(sf_probe "$WL" tcp 10.9.0.1 5000)" connected
check_eq "the flow is tracked (both directions found it)" \
	"$(sf_ctl "$HV" -j fw flows dev p0 | python3 -c '
import json, sys
f = [x for x in json.load(sys.stdin) if x["proto"] == "tcp"]
print(len(f), f[0]["src"], f[0]["dst"], f[0]["dport"], f[0]["rule"])')" \
	"1 10.9.0.2 10.9.0.1 5000 10"
check_eq "unsolicited: host -> workload tcp" \
	"$(sf_probe "$HV" tcp 10.9.0.2 5000)" timeout
check_eq "unsolicited: host -> workload udp" \
	"$(sf_probe "$HV" udp 10.9.0.2 5001)" timeout
check_eq "not allowed: workload -> host udp" \
	"$(sf_probe "$WL" udp 10.9.0.1 5001)" timeout

# An unsolicited mid-stream TCP packet (an ACK with no SYN before it),
# sent with a raw socket, then the same with TCP strict off.
midstream()
{
	ip netns exec "$WL" python3 - <<-'PY'
	import socket, struct
	def csum(b):
	    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
	    s = (s >> 16) + (s & 0xffff); s += s >> 16
	    return ~s & 0xffff
	src, dst = socket.inet_aton('10.9.0.2'), socket.inet_aton('10.9.0.1')
	tcp = struct.pack('!HHIIBBHHH', 40000, 5000, 1, 1, 5 << 4, 0x10, 1024, 0, 0)
	c = csum(src + dst + struct.pack('!BBH', 0, 6, len(tcp)) + tcp)
	tcp = tcp[:16] + struct.pack('!H', c) + tcp[18:]
	s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)
	s.sendto(tcp, ('10.9.0.1', 0))
	PY
}
apply "port p0" "port p1" "firewall default allow" "firewall option tcp-strict on"
before=$(sf_counter "$HV" p0 ingress drops)
midstream
check_eq "tcp-strict on: a mid-stream packet is dropped" \
	$(($(sf_counter "$HV" p0 ingress drops) - before)) 1
check_eq "tcp-strict on: a SYN still opens" "$(sf_probe "$WL" tcp 10.9.0.1 5000)" connected
# (A rule keeps the firewall in slot 2: an empty default-allow ruleset
# leaves the slot empty.)
apply "port p0" "port p1" "firewall default allow" "firewall option tcp-strict off" \
	"rule 9 drop proto udp dport 9"
before=$(sf_counter "$HV" p0 ingress drops)
midstream
check_eq "tcp-strict off: a mid-stream packet passes" \
	$(($(sf_counter "$HV" p0 ingress drops) - before)) 0
check_eq "tcp-strict off: it was tracked, and the host's RST closed it" \
	"$(sf_ctl "$HV" -j fw flows dev p0 | python3 -c '
import json, sys
print([x["state"] for x in json.load(sys.stdin) if x["proto"] == "tcp" and x["sport"] == 40000])')" \
	"['close']"

# First match wins, in order.
apply "port p0" "port p1" "firewall default allow" \
	"rule 1 drop proto tcp dport 5000" "rule 2 allow proto tcp dport 5000"
check_eq "first match: drop before allow" "$(sf_probe "$WL" tcp 10.9.0.1 5000)" timeout
apply "port p0" "port p1" "firewall default allow" \
	"rule 2 allow proto tcp dport 5000" "rule 1 drop proto tcp dport 5000"
check_eq "first match: allow before drop" "$(sf_probe "$WL" tcp 10.9.0.1 5000)" connected

# applied-to a port, then a tag.
apply "port p0" "port p1" "firewall default allow" \
	"rule 1 drop applied-to port p1 proto udp dport 5001"
check_eq "applied-to port p1: p0 is untouched" "$(sf_probe "$WL" udp 10.9.0.1 5001)" reply
check_eq "applied-to port p1: p1 drops" "$(sf_probe "$WL2" udp 10.9.1.1 5001)" timeout
apply "port p0" "port p1" "firewall default allow" \
	"rule 1 drop applied-to tag quarantine proto udp dport 5001"
check_eq "applied-to tag, no port tagged" "$(sf_probe "$WL" udp 10.9.0.1 5001)" reply
sf_ctl "$HV" port tag dev p0 quarantine
check_eq "tagging p0 takes effect on the next flow" \
	"$(sf_probe "$WL" udp 10.9.0.1 5001)" timeout
check_eq "p1 is not tagged" "$(sf_probe "$WL2" udp 10.9.1.1 5001)" reply
sf_ctl "$HV" port untag dev p0 quarantine
check_eq "untagged again" "$(sf_probe "$WL" udp 10.9.0.1 5001)" reply
# A flow established before its port gains the tag is judged again on its
# next packet (without FW_F_REEVALUATE): one socket, one datagram before
# the tag, one after.
ip netns exec "$WL" python3 -c '
import os, socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(1)
s.connect(("10.9.0.1", 5001))
def one(data):
    s.send(data)
    try:
        return s.recv(64).decode()
    except socket.timeout:
        return "timeout"
print(one(b"before"), flush=True)
while not os.path.exists(sys.argv[1]):
    time.sleep(0.05)
print(one(b"after"), flush=True)' "$SF_TMP/go" >"$SF_TMP/flow.out" &
flow=$!
for _ in $(seq 200); do [ -s "$SF_TMP/flow.out" ] && break; sleep 0.05; done
sf_ctl "$HV" port tag dev p0 quarantine
touch "$SF_TMP/go"
wait $flow
check_eq "an established flow is cut when its port gains the tag" \
	"$(tr '\n' ' ' <"$SF_TMP/flow.out")" "before timeout "
sf_ctl "$HV" port untag dev p0 quarantine
check_eq "untagged: new flows pass" "$(sf_probe "$WL" udp 10.9.0.1 5001)" reply

# An address set: rules keep their compiled form while elements change.
sf_ctl "$HV" fw set add blocked 192.0.2.1
apply "port p0" "port p1" "set blocked 192.0.2.1" "firewall default allow" \
	"rule 1 drop src @blocked proto udp"
gen=$(sf_fw_gen "$HV")
check_eq "set without the workload: passes" "$(sf_probe "$WL" udp 10.9.0.1 5001)" reply
sf_ctl "$HV" fw set add blocked 10.9.0.0/24
check_eq "set with the workload's prefix: dropped" "$(sf_probe "$WL" udp 10.9.0.1 5001)" timeout
sf_ctl "$HV" fw set del blocked 10.9.0.0/24
check_eq "element removed: passes again" "$(sf_probe "$WL" udp 10.9.0.1 5001)" reply
check_eq "the ruleset was not recommitted" \
	"$(sf_fw_gen "$HV")" "$gen"
sf_done
