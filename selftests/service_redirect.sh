#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Services at slots 4-11 and their redirect rules: only the traffic and
# the direction a rule picks reach the helper; drop blocks; continue
# passes the bytes unchanged (a TCP transfer, checksums compared); a
# rewrite is delivered; flow verdicts stop the round trips; the firewall
# at 2 and services at 4 and 6 run in that order both ways, and moving a
# service swaps the order; IPv6 goes through a service too; packets of
# one flow leave in order whatever order the helper answers them in.
#
#     netns $WL                    netns $HV
#     w0 10.9.0.2, fd00::2 <-veth-> p0 10.9.0.1, fd00::1 (port)
#     UDP echo :5001               UDP echo :5001, helpers (svc_helper)

source "$(dirname "$0")/service_lib.sh"
sf_require python3 ping
sf_topo6
sf_ctl "$HV" port add dev p0
sf_serve "$HV" udp :: 5001
sf_serve "$WL" udp :: 5001

svc add ips 4 timeout 60000
check_eq "the service fills slot 4 of every port" \
	"$(sf_counter "$HV" p0 ingress filter 4) $(sf_counter "$HV" p0 egress filter 4)" \
	"service service"
svc_serve ips a
check_eq "bound: the service is up" "$(svc_stat ips state)" up
check_eq "no redirect rule: traffic passes" \
	"$(traffic "$WL" udp 10.9.0.1 5001 3)" "3 probe"
check_eq "no redirect rule: the helper saw nothing" "$(svc_seen a)" 0

# Ingress UDP to 5001 only: not the echo going back out, not ping.
svc commit redirect ips 7 redirect dir in proto 17 dport 5001
check_eq "udp in: every echo came back" \
	"$(traffic "$WL" udp 10.9.0.1 5001 5 hello)" "5 hello"
ip netns exec "$WL" ping -c 2 -i 0.2 -q 10.9.0.1 >/dev/null
check_eq "udp out: not redirected" \
	"$(traffic "$HV" udp 10.9.0.2 5001 2)" "2 probe"
check_eq "the helper saw the 5 inbound datagrams, whole" \
	"$(cut -d' ' -f1-7,9 "$SF_TMP/a.seen" | sort | uniq -c | awk '{ $1 = $1; print }')" \
	"5 in 4 p0 7 0800 33 33 hell"
check_eq "counters: redirected, continued" \
	"$(svc_stat ips redirected) $(svc_stat ips continued) $(svc_stat ips held)" "5 5 0"
check_eq "one redirect rule for the service" "$(svc_stat ips redirects)" 1

# The port's tags go with each packet: 16 of the longest names fit.
tags=""
for i in $(seq 10 25); do
	t=tag$i-abcdefghijklmnopqrstuvwxy
	sf_ctl "$HV" port tag dev p0 "$t"
	tags=$tags${tags:+,}$t
done
svc_mark a
check_eq "16 tags of 31 characters: the datagram went through the helper" \
	"$(traffic "$WL" udp 10.9.0.1 5001 1 tagd)" "1 tagd"
check_eq "the helper got the port's 16 tags" "$(svc_since a | cut -d' ' -f11)" "$tags"
for i in $(seq 10 25); do
	sf_ctl "$HV" port untag dev p0 "tag$i-abcdefghijklmnopqrstuvwxy"
done

# Copy: the helper gets the first 20 bytes and the whole length.
svc set ips copy 20
svc_mark a
traffic "$WL" udp 10.9.0.1 5001 1 >/dev/null
check_eq "copy 20: the header only" "$(svc_since a | cut -d' ' -f6,7)" "33 20"
svc set ips copy 0
svc_stop a

# drop
svc_serve ips b -v drop
check_eq "drop: nothing comes back" \
	"$(SF_PROBE_TIMEOUT=1 traffic "$WL" udp 10.9.0.1 5001 2)" "0 -"
check_eq "drop: counted" "$(svc_stat ips dropped)" 2
svc_stop b

# rewrite: "ping" becomes "pong" on the way in; the server echoes it.
svc_serve ips c -v rewrite
check_eq "rewrite: the server got the helper's packet" \
	"$(traffic "$WL" udp 10.9.0.1 5001 1 ping-1)" "1 pong-1"
check_eq "rewrite: counted" "$(svc_stat ips rewritten)" 1
svc_stop c

# Flow verdicts: one round trip per flow, later packets pass or drop.
svc_serve ips d -v continue-flow
check_eq "continue-flow: all 4 echoes" \
	"$(traffic "$WL" udp 10.9.0.1 5001 4 flow)" "4 flow"
check_eq "continue-flow: the helper saw the first only" "$(svc_seen d)" 1
# The verdict covers the flow both ways: 3 requests and 4 echoes.
check_eq "continue-flow: 7 passed on the flow's verdict" \
	"$(svc_stat ips flow_continued)" 7
svc_stop d
svc_serve ips e -v drop-flow
check_eq "drop-flow: nothing comes back" \
	"$(SF_PROBE_TIMEOUT=3 traffic "$WL" udp 10.9.0.1 5001 3 dflw)" "0 -"
check_eq "drop-flow: the helper saw the first only" "$(svc_seen e)" 1
check_eq "drop-flow: 2 dropped on the flow's verdict" \
	"$(svc_stat ips flow_dropped)" 2
svc_stop e

# continue: a TCP transfer arrives unchanged, in both directions
# (smaller on the debug kernel, where each segment's round trip is slow).
bytes=3000000
[ "${SF_VM_DEBUG-}" = 1 ] && bytes=500000
svc add xfer 5 queue 65536 timeout 60000
svc commit redirect xfer 1 redirect proto 6 dport 5003
svc_serve xfer f
for way in in out; do
	if [ $way = in ]; then src=$WL; dst=$HV; addr=10.9.0.1; else src=$HV; dst=$WL; addr=10.9.0.2; fi
	ip netns exec "$dst" python3 "$TRAFFIC" sink "$addr" 5003 >"$SF_TMP/sink" &
	sink=$!
	for i in $(seq 100); do grep -q listening "$SF_TMP/sink" && break; sleep 0.05; done
	sent=$(traffic "$src" send "$addr" 5003 $bytes)
	wait $sink
	check_eq "continue ($way): $bytes bytes arrive unchanged" \
		"$(tail -n 1 "$SF_TMP/sink")" "$sent"
done
svc_settle xfer f
check_eq "continue: every segment went through the helper" \
	"$(svc_stat xfer redirected)" "$(svc_seen f)"
check_eq "continue: and came back" \
	"$(svc_stat xfer continued)" "$(svc_seen f)"
check_eq "continue: nothing held, nothing failed" \
	"$(svc_stat xfer held) $(svc_stat xfer failed_open)" "0 0"
svc_stop f

# A helper that takes GSO packets whole gets packets above the MTU.
svc_serve xfer f2 -g
ip netns exec "$WL" python3 "$TRAFFIC" sink 10.9.0.2 5003 >"$SF_TMP/sink" &
sink=$!
for i in $(seq 100); do grep -q listening "$SF_TMP/sink" && break; sleep 0.05; done
sent=$(traffic "$HV" send 10.9.0.2 5003 $bytes)
wait $sink
check_eq "GSO whole: $bytes bytes arrive unchanged" "$(tail -n 1 "$SF_TMP/sink")" "$sent"
check_eq "GSO whole: the helper got packets above the MTU" \
	"$(awk '$6 > 1500 { n++ } END { print (n > 0) }' "$SF_TMP/f2.seen")" 1
svc_stop f2

# A replacement that does not match its own length field is refused.
svc_serve xfer f3 -v badlen
ip netns exec "$WL" python3 "$TRAFFIC" sink 10.9.0.2 5003 >"$SF_TMP/sink" 2>&1 &
sink=$!
for i in $(seq 100); do grep -q listening "$SF_TMP/sink" && break; sleep 0.05; done
ip netns exec "$HV" python3 -c '
import socket
socket.create_connection(("10.9.0.2", 5003), timeout=5).close()' 2>/dev/null || true
svc_wait xfer state no-helper
svc_stop f3
check_eq "bad replacement: refused with a reason" "$(cat "$SF_TMP/f3.err")" \
	"verdict: Invalid argument: the replacement is not an IPv4 packet whose total length is the attribute's length"
check_eq "bad replacement: the packet went on when the helper quit" \
	"$(svc_stat xfer state) $(svc_stat xfer helper_gone)" "no-helper 1"
kill $sink 2>/dev/null || true

# Order: firewall at 2, "rw" at 4 rewrites, "rec" at 6 records. Both
# directions: 6 sees what 4 made of the packet; what 2 drops reaches
# neither. Then rw moves to 8: 6 sees the packets before the rewrite.
svc commit
svc del ips
svc del xfer
svc add rw 4 timeout 60000
svc add rec 6 timeout 60000
svc commit fw 1 drop proto 17 dport 5002 \
	redirect rw 1 redirect proto 17 dport 5001 \
	redirect rw 2 redirect proto 17 dport 5002 \
	redirect rec 1 redirect proto 17 dport 5001 \
	redirect rec 2 redirect proto 17 dport 5002
svc_serve rw g -v rewrite
svc_serve rec h
check_eq "order in: 2, 4, 6" "$(traffic "$WL" udp 10.9.0.1 5001 1 ping)" "1 pong"
check_eq "order out: 2, 4, 6" "$(traffic "$HV" udp 10.9.0.2 5001 1 ping)" "1 pong"
SF_PROBE_TIMEOUT=0.5 traffic "$WL" udp 10.9.0.1 5002 1 ping >/dev/null
check_eq "slot 6 saw the rewrite of slot 4, both ways" \
	"$(cut -d' ' -f1,2,9 "$SF_TMP/h.seen" | tr '\n' ' ')" \
	"in 6 pong out 6 pong "
check_eq "slot 4 saw 2 packets, none that slot 2 dropped" "$(svc_seen g)" 2
svc set rw slot 8
svc_mark g
svc_mark h
check_eq "moved to 8: still rewritten in" "$(traffic "$WL" udp 10.9.0.1 5001 1 ping)" "1 pong"
check_eq "slot 6 now runs first" \
	"$(svc_since h | cut -d' ' -f1,2,9)" "in 6 ping"
check_eq "the mover reports slot 8" \
	"$(svc_stat rw slot) $(svc_since g | cut -d' ' -f2)" "8 8"
check_eq "the port shows 6 and 8" \
	"$(sf_counter "$HV" p0 ingress filter 4) $(sf_counter "$HV" p0 ingress filter 6) $(sf_counter "$HV" p0 ingress filter 8)" \
	"none service service"
svc_stop g
svc_stop h

# IPv6
svc commit redirect rec 3 redirect dir in proto 17 dst fd00::1
svc_serve rec i
check_eq "IPv6 through a service" \
	"$(traffic "$WL" udp fd00::1 5001 2 six)" "2 six"
check_eq "the helper saw IPv6 packets" \
	"$(cut -d' ' -f1,2,5,6 "$SF_TMP/i.seen" | sort -u)" "in 6 86dd 51"
svc_stop i

# Order within a flow: 4 datagrams of 4 flows (a socket each), answered
# newest first, are not held back for each other; 8 datagrams of one flow,
# answered newest first, are delivered oldest first.
svc commit redirect rec 4 redirect dir in proto 17 dport 5001
svc_serve rec k -R 4
pids=()
for i in 1 2 3 4; do
	traffic "$WL" udp 10.9.0.1 5001 1 "flo$i" >"$SF_TMP/k$i.out" &
	pids+=($!)
done
wait "${pids[@]}"
check_eq "four flows answered newest first: each one echoed" \
	"$(cat "$SF_TMP"/k[1-4].out | tr '\n' ' ')" "1 flo1 1 flo2 1 flo3 1 flo4 "
check_eq "four flows: held together" "$(svc_stat rec most_held)" 4
svc_stop k
continued=$(svc_stat rec continued)
svc_serve rec j -R 8
check_eq "one flow answered newest first: delivered in order" \
	"$(traffic "$WL" seq 10.9.0.1 5001 8)" \
	"0000 0001 0002 0003 0004 0005 0006 0007"
check_eq "one flow: the helper saw one flow id, in order" \
	"$(cut -d' ' -f8 "$SF_TMP/j.seen" | sort -u | wc -l) $(cut -d' ' -f9 "$SF_TMP/j.seen" | tr '\n' ' ')" \
	"1 0000 0001 0002 0003 0004 0005 0006 0007 "
check_eq "one flow: 8 held, all continued, none late, none held now" \
	"$(svc_stat rec most_held) $(($(svc_stat rec continued) - continued)) $(svc_stat rec late) $(svc_stat rec held)" \
	"8 8 0 0"
svc_stop j

# reject answers the sender as the firewall's reject does: TCP a RST,
# UDP an ICMP error (IPv4 and IPv6); reject-flow drops the rest of the
# flow at the slot without a round trip.
sf_serve "$HV" tcp :: 5000
svc commit redirect rec 5 redirect dir in proto 6 dport 5000 \
	redirect rec 6 redirect dir in proto 17 dport 5001
svc_serve rec r -v reject
dropped=$(svc_stat rec dropped)
check_eq "reject: TCP is refused" "$(sf_probe "$WL" tcp 10.9.0.1 5000)" refused
check_eq "reject: UDP is unreachable" "$(sf_probe "$WL" udp 10.9.0.1 5001)" unreachable
check_eq "reject: UDP over IPv6 is denied" "$(sf_probe "$WL" udp fd00::1 5001)" denied
check_eq "reject: the helper saw 3, all 3 counted as dropped" \
	"$(svc_seen r) $(($(svc_stat rec dropped) - dropped))" "3 3"
svc_stop r
svc_serve rec s -v reject-flow
flow_dropped=$(svc_stat rec flow_dropped)
ip netns exec "$WL" python3 -c '
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.9.0.2", 40000))
for i in range(3):
    s.sendto(b"flow", ("10.9.0.1", 5001))
    time.sleep(0.3)'
check_eq "reject-flow: the helper saw the first datagram, the flow cache dropped the others" \
	"$(svc_seen s) $(($(svc_stat rec flow_dropped) - flow_dropped))" "1 2"
svc_stop s
svc commit
svc del rw
svc del rec
sf_done
