#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Attach and detach a port on the host end of a workload's veth; ping and a
# TCP transfer must pass unchanged, byte for byte, in both directions, both
# while attached and after detach.
#
#     netns $WL             netns $HV
#     w0 10.9.0.2 <-veth-> p0 10.9.0.1 (port)

source "$(dirname "$0")/lib.sh"
sf_require socat sha256sum python3
sf_topo

# tcp_copy FROM_NS TO_NS TO_ADDR: send 2 MiB of random bytes over TCP, and
# compare the checksums of what was sent and what arrived.
tcp_copy()
{
	local dir sent got

	dir=$(mktemp -d)
	head -c 2097152 /dev/urandom >"$dir/in"
	ip netns exec "$2" socat -u TCP-LISTEN:5001,reuseaddr \
		"OPEN:$dir/out,creat,trunc" &
	local srv=$!
	# socat needs a moment to listen; retry the connect for up to 10 s.
	local i
	for i in $(seq 50); do
		ip netns exec "$1" socat -u "OPEN:$dir/in" "TCP:$3:5001" \
			2>/dev/null && break
		sleep 0.2
	done
	wait $srv
	sent=$(sha256sum <"$dir/in")
	got=$(sha256sum <"$dir/out")
	rm -rf "$dir"
	[ "$sent" = "$got" ]
}

check "attach p0" sf_ctl "$HV" port add dev p0
check_eq "port show lists p0" \
	"$(sf_ctl "$HV" -j port show | python3 -c 'import json,sys; print(" ".join(p["ifname"] for p in json.load(sys.stdin)))')" p0
check "ping workload -> host, attached" \
	ip netns exec "$WL" ping -c 3 -i 0.2 -W 2 -q 10.9.0.1
check "ping host -> workload, attached" \
	ip netns exec "$HV" ping -c 3 -i 0.2 -W 2 -q 10.9.0.2
check "TCP 2 MiB workload -> host intact, attached" tcp_copy "$WL" "$HV" 10.9.0.1
check "TCP 2 MiB host -> workload intact, attached" tcp_copy "$HV" "$WL" 10.9.0.2
# GSO/GRO make few, large packets of a transfer: count its bytes.
check "ingress counted the 2 MiB from the workload" \
	test "$(sf_counter "$HV" p0 ingress bytes)" -gt 2097152
check "egress counted the 2 MiB to the workload" \
	test "$(sf_counter "$HV" p0 egress bytes)" -gt 2097152

check "detach p0" sf_ctl "$HV" port del dev p0
check_eq "port show is empty after detach" "$(sf_ctl "$HV" -j port show)" "[]"
check "ping workload -> host, detached" \
	ip netns exec "$WL" ping -c 3 -i 0.2 -W 2 -q 10.9.0.1
check "TCP 2 MiB workload -> host intact, detached" tcp_copy "$WL" "$HV" 10.9.0.1

check "attach again after detach" sf_ctl "$HV" port add dev p0
check "ping host -> workload, attached again" \
	ip netns exec "$HV" ping -c 3 -i 0.2 -W 2 -q 10.9.0.2
sf_done
