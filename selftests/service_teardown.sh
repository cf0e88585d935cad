#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Packets held by a hung helper when their device is deleted, when their
# service is deleted, when their namespace goes, and when the module is
# unloaded: each releases every
# packet and reference (the runner checks the kernel log; the debug kernel
# scans for leaks), and the counters say where the packets went.
#
#     netns $WL                     netns $HV
#     w0 10.9.0.2  <---veth--->     p0 10.9.0.1 (port)
#     w1 10.9.1.2  <---veth--->     p1 10.9.1.1 (port)
#     w2 10.9.2.2  <---veth--->     p2 10.9.2.1 (port)
#                                   UDP echo :5001, a helper that never answers

source "$(dirname "$0")/service_lib.sh"
sf_require python3
sf_topo
sf_veth "$HV" p1 10.9.1.1 "$WL" w1 10.9.1.2
sf_veth "$HV" p2 10.9.2.1 "$WL" w2 10.9.2.2
for p in p0 p1 p2; do
	sf_ctl "$HV" port add dev $p
done
sf_serve "$HV" udp 0.0.0.0 5001
svc add hold 4 timeout 60000
svc commit redirect hold 1 redirect dir in proto 17 dport 5001
svc_serve hold h -v hang

# hold ADDR N: N datagrams to ADDR held (the sender gives up after 1 s).
hold()
{
	local before

	before=$(svc_stat hold held)
	SF_PROBE_TIMEOUT=1 traffic "$WL" burst "$1" 5001 "$2" >/dev/null &
	svc_wait hold held $((before + $2))
	check_eq "$2 more held" "$(svc_stat hold held)" $((before + $2))
}

hold 10.9.0.1 3
hold 10.9.1.1 2
hold 10.9.2.1 4
ip -n "$HV" link del p0
check_eq "device deleted: its 3 packets dropped, the others held" \
	"$(svc_stat hold held) $(svc_stat hold teardown)" "6 3"
sf_ctl "$HV" port del dev p1
check_eq "port detached: its 2 packets dropped" \
	"$(svc_stat hold held) $(svc_stat hold teardown)" "4 5"
check_eq "no packet got the failure policy" \
	"$(svc_stat hold failed_open) $(svc_stat hold failed_closed)" "0 0"

# The service goes with 4 packets held (its rules first).
svc commit
check_eq "a commit leaves held packets alone" "$(svc_stat hold held)" 4
check "service deleted with 4 held" svc del hold
check_fails "the service is gone" 1 \
	"slotfilter: No such file or directory: no service of this name" \
	svc show hold
svc_stop h

# A namespace goes with a port, a service, its rules and 3 packets held by
# a hung helper. The helper's socket pins the namespace, so the namespace
# ends after its last process, the helper: the helper's death releases the
# packets (helper_gone), then the namespace's exit frees the service, its
# rules and the port, and takes the veth pair with it.
X=sf-x-$SF_RUN
sf_ns "$X"
sf_veth "$X" x0 10.9.5.1 "$WL" w5 10.9.5.2
SVC_NS=$X
sf_ctl "$X" port add dev x0
svc add hold 4 timeout 60000
svc commit redirect hold 1 redirect dir in proto 17 dport 5001
svc_serve hold hx -v hang
hold 10.9.5.1 3
ip netns del "$X"
kill -9 "${SVC_PID[hx]}"
wait "${SVC_PID[hx]}" 2>/dev/null || true
unset SVC_NS
for _ in $(seq 300); do
	ip -n "$WL" link show w5 >/dev/null 2>&1 || break
	sleep 0.1
done
check_fails "the namespace is gone, and its veth pair" 1 \
	'Device "w5" does not exist.' ip -n "$WL" link show w5

# rmmod with packets held.
svc add hold 4 timeout 60000
svc commit redirect hold 1 redirect dir in proto 17 dport 5001
svc_serve hold h2 -v hang
hold 10.9.2.1 3
check "rmmod with 3 held" rmmod slotfilter
check_eq "module gone" "$(grep -c '^slotfilter ' /proc/modules || true)" 0
svc_stop h2
check "modprobe again" modprobe slotfilter
sf_done
