#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# slotd and an external service (tools/slotd/examples/strdrop) on the real
# kernel. A redirect rule sends UDP to port 7000 arriving on p0 to service
# svc1 at slot 4 (failure policy closed); strdrop drops datagrams that
# contain "EVIL" and passes the rest, and records every packet it saw,
# which must be exactly the ones sent that way (the echoes go out through
# egress: not redirected). Then: strdrop killed (failing: closed drops),
# strdrop back (up again), SIGHUP to a built-in drop service and back,
# SIGTERM (no helper). Service svc2 at slot 5 is slotd's built-in noop:
# TCP transfers through it arrive unchanged. The kernel's counters prove
# each step.
#
#     netns $WL             netns $HV
#     w0 10.9.0.2 <-veth-> p0 10.9.0.1 (port; slot 4: svc1)
#                           slot 5: svc2
#                           slotd <-> strdrop ($SF_TMP/svc.sock)

source "$(dirname "$0")/service_lib.sh"
sf_require python3
SLOTD=${SLOTD:-$SF_TOP/tools/slotd/slotd}
STRDROP=${STRDROP:-$SF_TOP/tools/slotd/examples/strdrop}
[ -x "$SLOTD" ] && [ -x "$STRDROP" ] || sf_skip "slotd or strdrop not built"
sf_topo

# udp_echo PAYLOAD: one datagram from the workload to port 7000 of the
# host; prints reply (the echo came back) or timeout.
udp_echo()
{
	sf_probe "$WL" udp 10.9.0.1 7000 "$1"
}

# svc_show: svc1's state and the counters that are not 0, on one line.
svc_show()
{
	svc show svc1 | awk '
		$1 == "state" || $1 == "held" { printf "%s%s %s", sep, $1, $2; sep = " " }
		$1 ~ /^(redirected|continued|dropped|failed_open|failed_closed|failing|no_helper|helper_gone|deadline|late)$/ && $2 != 0 {
			printf " %s %s", $1, $2 }
		END { print "" }'
}

start_strdrop()
{
	ip netns exec "$HV" "$STRDROP" -v -n strdrop "$SF_TMP/svc.sock" EVIL \
		>>"$SF_TMP/seen" 2>>"$SF_TMP/strdrop.err" &
	strdrop=$!
}

conf_unix()
{
	cat >"$SF_TMP/slotd.conf" <<-END
	service svc1 unix:$SF_TMP/svc.sock probe-interval=100 probe-timeout=3000
	service svc2 builtin:noop
	END
}

sf_serve "$HV" udp 10.9.0.1 7000
check "attach p0" sf_ctl "$HV" port add dev p0
check "service svc1 at slot 4, policy closed" \
	svc add svc1 4 policy closed timeout 500
check "service svc2 at slot 5" svc add svc2 5 queue 65536
check "redirect ingress udp 7000 to svc1, tcp 5003 to svc2" \
	svc commit redirect svc1 1 redirect dir in proto 17 dport 7000 \
	redirect svc2 1 redirect proto 6 dport 5003
check_eq "no helper yet" "$(svc_show)" "state no-helper held 0"

start_strdrop
conf_unix
ip netns exec "$HV" "$SLOTD" -c "$SF_TMP/slotd.conf" 2>"$SF_TMP/slotd.log" &
slotd=$!
check "slotd binds svc1" sf_wait_line "$SF_TMP/slotd.log" "service svc1: bound (failure policy closed)" 1
check "slotd reaches strdrop" sf_wait_line "$SF_TMP/slotd.log" "service svc1: up" 1
check_eq "kernel: svc1 up" "$(svc_show)" "state up held 0"

check_eq "clean datagram passes" "$(udp_echo hello)" reply
check_eq "datagram with EVIL is dropped" "$(udp_echo xxEVILxx)" timeout
check_eq "clean datagram passes again" "$(udp_echo world)" reply
check_eq "strdrop saw exactly the three datagrams: ingress, slot 4, their lengths" \
	"$(awk '{print $5, $6, $7, $13, $14}' "$SF_TMP/seen")" \
	"$(printf 'ingress slot 4 33/33 continue\ningress slot 4 36/36 drop\ningress slot 4 33/33 continue')"
check_eq "kernel: 3 redirected, 2 continued, 1 dropped" "$(svc_show)" \
	"state up held 0 redirected 3 continued 2 dropped 1"

# svc2, slotd's built-in noop: TCP transfers through it arrive unchanged
# (smaller on the debug kernel, where each segment's round trip is slow).
bytes=3000000
[ "${SF_VM_DEBUG-}" = 1 ] && bytes=500000
check "slotd binds svc2" sf_wait_line "$SF_TMP/slotd.log" "service svc2: bound (failure policy open)" 1
for way in in out; do
	if [ $way = in ]; then src=$WL; dst=$HV; addr=10.9.0.1; else src=$HV; dst=$WL; addr=10.9.0.2; fi
	ip netns exec "$dst" python3 "$TRAFFIC" sink "$addr" 5003 >"$SF_TMP/sink" &
	sink=$!
	for i in $(seq 100); do grep -q listening "$SF_TMP/sink" && break; sleep 0.05; done
	sent=$(traffic "$src" send "$addr" 5003 $bytes)
	wait $sink
	check_eq "builtin:noop ($way): $bytes bytes arrive unchanged" \
		"$(tail -n 1 "$SF_TMP/sink")" "$sent"
done
check_eq "builtin:noop: every redirected segment continued, none failed" \
	"$(svc_stat svc2 continued) $(svc_stat svc2 failed_open) $(svc_stat svc2 held)" \
	"$(svc_stat svc2 redirected) 0 0"
check "builtin:noop: the transfers went through it" \
	test "$(svc_stat svc2 redirected)" -gt $((bytes / 1448))

# svc2 deleted and added again in the kernel: slotd learns it from the
# kernel, binds the new one, and serves it.
svc commit redirect svc1 1 redirect dir in proto 17 dport 7000
svc del svc2
check "slotd hears that svc2 was deleted" \
	sf_wait_line "$SF_TMP/slotd.log" "service svc2: deleted in the kernel" 1
svc add svc2 5 queue 65536
svc commit redirect svc1 1 redirect dir in proto 17 dport 7000 \
	redirect svc2 1 redirect proto 6 dport 5003
check "slotd binds the new svc2" \
	sf_wait_line "$SF_TMP/slotd.log" "service svc2: bound (failure policy open)" 2
ip netns exec "$HV" python3 "$TRAFFIC" sink 10.9.0.1 5003 >"$SF_TMP/sink" &
sink=$!
for i in $(seq 100); do grep -q listening "$SF_TMP/sink" && break; sleep 0.05; done
sent=$(traffic "$WL" send 10.9.0.1 5003 100000)
wait $sink
check_eq "the new svc2 serves: 100000 bytes arrive unchanged" \
	"$(tail -n 1 "$SF_TMP/sink")" "$sent"
check "... through it" test "$(svc_stat svc2 continued)" -gt 0

# strdrop goes away: svc1 fails closed until it is back.
kill "$strdrop"
wait "$strdrop" || true
check "slotd marks svc1 failing" \
	sf_wait_line "$SF_TMP/slotd.log" "service svc1: failing: connection closed" 1
check_eq "kernel: svc1 failing" "$(svc_show)" \
	"state failing held 0 redirected 3 continued 2 dropped 1"
check_eq "failing, policy closed: clean datagram dropped" "$(udp_echo hello)" \
	timeout
start_strdrop
check "slotd reconnects" sf_wait_line "$SF_TMP/slotd.log" "service svc1: up" 2
check_eq "recovered: clean datagram passes" "$(udp_echo hello)" reply
check_eq "kernel: the failing drop counted as such" "$(svc_show)" \
	"state up held 0 redirected 4 continued 3 dropped 1 failed_closed 1 failing 1"

# SIGHUP: svc1 becomes a built-in drop service, then external again; the
# kernel binding stays (no "bound" line more).
printf 'service svc1 builtin:drop\nservice svc2 builtin:noop\n' >"$SF_TMP/slotd.conf"
kill -HUP "$slotd"
check "reload to builtin:drop" \
	sf_wait_line "$SF_TMP/slotd.log" "service svc1: target changed; restarting it" 1
check_eq "built-in drop: clean datagram dropped" "$(udp_echo hello)" timeout
conf_unix
kill -HUP "$slotd"
check "reload to unix" sf_wait_line "$SF_TMP/slotd.log" "service svc1: up" 4
check_eq "external again: clean datagram passes" "$(udp_echo hello)" reply
check_eq "slotd bound once" "$(grep -c 'service svc1: bound' "$SF_TMP/slotd.log")" 1
echo "service svc1 unix:/nonexistent bad-option" >"$SF_TMP/slotd.conf"
kill -HUP "$slotd"
check "a bad configuration changes nothing" sf_wait_line "$SF_TMP/slotd.log" \
	"the configuration has errors; nothing changed" 1
check_eq "still served" "$(udp_echo hello)" reply

kill -TERM "$slotd"
rc=0
wait "$slotd" || rc=$?
check_eq "slotd exits 0 on SIGTERM" "$rc" 0
check_eq "kernel: no helper after slotd left" "$(svc_show | cut -d' ' -f1-4)" \
	"state no-helper held 0"
kill "$strdrop" 2>/dev/null || true
sf_done
