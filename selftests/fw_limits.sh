#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The firewall's bounds and books: a full flow table refuses new flows and
# counts them while the flows it holds keep passing; short timeouts expire
# flows; rule and slot counters are exact; log-flagged rules reach
# `slotctl monitor`.
#
#     netns $WL             netns $HV
#     w0 10.9.0.2 <-veth-> p0 10.9.0.1 (port)

source "$(dirname "$0")/lib.sh"
sf_require python3 ping
sf_topo
sf_ctl "$HV" port add dev p0
sf_serve "$HV" udp 0.0.0.0 5001
sf_serve "$HV" udp 0.0.0.0 5002

apply()
{
	printf '%s\n' "$@" >"$SF_TMP/fw.conf"
	sf_ctl "$HV" apply -f "$SF_TMP/fw.conf"
}

fw_field()
{
	sf_jq "$HV" ".[\"$1\"]" fw show
}

# A full table: 5 flows fit, the 6th is refused, the 5 keep passing.
apply "port p0" "firewall default allow" "firewall flow-max 5" \
	"rule 1 drop proto tcp dport 9"
# flows.py N [COMMAND...]: N UDP sockets from $WL to 10.9.0.1:5001 send one
# datagram each (True: echoed back); COMMAND runs; the first N - 1 send again.
cat >"$SF_TMP/flows.py" <<-'PY'
	import socket, subprocess, sys
	def send(s):
	    s.send(b'x')
	    try:
	        return s.recv(8) == b'x'
	    except socket.timeout:
	        return False
	n = int(sys.argv[1])
	socks = []
	for i in range(n):
	    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
	    s.settimeout(1)
	    s.connect(('10.9.0.1', 5001))
	    socks.append(s)
	first = [send(s) for s in socks]
	if sys.argv[2:]:
	    subprocess.run(sys.argv[2:], check=True)
	again = [send(s) for s in socks[:n - 1]]
	print(sum(first[:n - 1]), first[n - 1], sum(again))
	PY
check_eq "flow-max 5: five flows, a sixth refused, the five still pass" \
	"$(ip netns exec "$WL" python3 "$SF_TMP/flows.py" 6)" "5 False 5"
check_eq "the refusal is counted" "$(fw_field flows-refused)" 1
check_eq "the table holds 5" "$(fw_field flows)" 5

# Growth: a commit raising flow-max from 100 to 1,000,000 moves the 100
# tracked flows from 64 buckets to 2^19; a ruleset without rules (default
# drop, flows kept) then lets exactly those flows pass, both ways, and the
# 101st flow not (it came before the commit, and the table was full).
sf_ctl "$HV" port del dev p0
apply "port p0" "firewall default drop" "firewall flow-max 100" \
	"rule 1 allow proto udp dport 5001"
printf '%s\n' "port p0" "firewall default drop" "firewall flow-max 1000000" \
	>"$SF_TMP/grown.conf"
check_eq "flow-max 100 -> 1000000: the 100 flows pass before and after, the 101st not" \
	"$(ip netns exec "$WL" python3 "$SF_TMP/flows.py" 101 \
		ip netns exec "$HV" "$SLOTCTL" apply -f "$SF_TMP/grown.conf")" "100 False 100"
check_eq "the grown table lists the 100" \
	"$(sf_jq "$HV" '[.[] | select(.dport == 5001)] | length' fw flows)" 100
check_eq "and counts them" "$(fw_field flows)" 100

# Short timeouts: a UDP flow expires after 2 s and the GC frees it. A flow
# is listed while it lives: under a 60 s timeout, as a slow VM takes its
# time to list it. (Detaching the port forgets the flows it had.)
sf_ctl "$HV" port del dev p0
apply "port p0" "firewall default allow" "firewall timeout udp 60" \
	"rule 1 drop proto tcp dport 9"
check_eq "a new flow after the table emptied" "$(sf_probe "$WL" udp 10.9.0.1 5001)" reply
check_eq "a fresh flow is listed" \
	"$(sf_jq "$HV" '[.[] | select(.proto == "udp" and .dport == 5001)] | length' fw flows)" 1
sf_ctl "$HV" port del dev p0
apply "port p0" "firewall default allow" "firewall timeout udp 2" \
	"rule 1 drop proto tcp dport 9"
check_eq "a flow under the 2 s timeout" "$(sf_probe "$WL" udp 10.9.0.1 5001)" reply
sleep 3
check_eq "expired after its 2 s timeout" \
	"$(sf_jq "$HV" '[.[] | select(.proto == "udp")] | length' fw flows)" 0
for i in $(seq 20); do
	[ "$(fw_field flows)" = 0 ] && break
	sleep 0.5
done
check_eq "and freed by the collector" "$(fw_field flows)" 0

# Exact counters: a 5-packet ping is one flow, judged once by rule 1;
# three UDP datagrams of 5 bytes (47-byte frames) are dropped by rule 2.
apply "port p0" "firewall default drop" \
	"rule 1 allow proto icmp" "rule 2 drop log proto udp dport 5001" \
	"rule 3 allow log proto udp dport 5002"
in0=$(sf_counter "$HV" p0 ingress packets)
j0=$(sf_counter "$HV" p0 ingress packets 2)
d0=$(sf_counter "$HV" p0 ingress drops 2)

sf_ctl "$HV" -j monitor >"$SF_TMP/events" &
monitor=$!
# The monitor has subscribed once an event reaches it.
for i in $(seq 30); do
	sf_probe "$WL" udp 10.9.0.1 5002 >/dev/null
	[ -s "$SF_TMP/events" ] && break
done

ip netns exec "$WL" ping -c 5 -i 0.2 -W 1 -q 10.9.0.1 >/dev/null
for i in 1 2 3; do
	check_eq "udp to 5001 #$i dropped" "$(sf_probe "$WL" udp 10.9.0.1 5001)" timeout
done
for i in $(seq 20); do
	[ "$(grep -c '"rule":2' "$SF_TMP/events")" -ge 3 ] && break
	sleep 0.25
done
kill $monitor

check_eq "rule 1: one flow, one packet judged, 98 bytes" \
	"$(sf_ctl "$HV" -j fw show | python3 -c '
import json, sys
r = json.load(sys.stdin)["rules"][0]
print(r["flows"], r["packets"], r["bytes"])')" "1 1 98"
check_eq "rule 2: three packets dropped, 141 bytes, no flow" \
	"$(sf_ctl "$HV" -j fw show | python3 -c '
import json, sys
r = json.load(sys.stdin)["rules"][1]
print(r["flows"], r["packets"], r["bytes"])')" "0 3 141"
check_eq "slot 2 judged every ingress packet" \
	$(($(sf_counter "$HV" p0 ingress packets 2) - j0)) \
	$(($(sf_counter "$HV" p0 ingress packets) - in0))
check_eq "slot 2 dropped exactly the three" \
	$(($(sf_counter "$HV" p0 ingress drops 2) - d0)) 3
check_eq "monitor: three events of rule 2, as they were" \
	"$(python3 -c '
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
ev = [e for e in ev if e["rule"] == 2]
print(len(ev), sorted(set((e["action"], e["proto"], e["src"], e["dst"], e["dport"], e["dir"]) for e in ev)))
' "$SF_TMP/events")" \
	"3 [('drop', 'udp', '10.9.0.2', '10.9.0.1', 5001, 'ingress')]"
sf_done
