#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Teardown races in loops, under traffic in both directions (ping floods
# and a TCP stream), SF_STRESS_ITER iterations each (default 10; `make
# stress` runs 100 and more):
#
#   a. attach/detach       p0 and w0 attached, read and detached in a tight
#                          loop (sf_churn) under the floods, with dumps
#   b. device deletion     an attached veth pair (both ends ports) deleted
#                          from either end under its own floods, remade
#   c. namespace deletion  namespaces holding ports (a veth end, a dummy,
#                          lo) deleted while a flood from $HV runs into
#                          them; their teardowns overlap the next ones
#   d. rmmod               the module removed with ports in four namespaces
#                          under floods, and loaded again
#   e. concurrent          processes racing on the same ports: two attach
#                          and detach p0 (one reads and dumps too), one
#                          attaches a device that a shell deletes and
#                          remakes, one works in $WL, and a shell unloads
#                          and loads the module
#   f. services            a service at slot 4 inspecting the floods: its
#                          helper killed with packets in flight, the
#                          service moved 4 -> 8 -> 4 and deleted and added
#                          again with packets held by a hung helper
#
# After each scenario: no port is left where none should be, the bystander
# ports are intact, traffic still passes, the kernel log has no new report,
# and the module unloads. One TAP line per check; a failing iteration is
# noted with what failed and its message, and the first ones are shown.
# SF_STRESS_SCENARIOS picks scenarios (default "a b c d e f");
# SF_STRESS_ROUNDS is the number of attach/read/detach rounds of each
# iteration of a (default 20).
#
#     netns $WL                      netns $HV
#     w0 10.9.0.2/24   <--veth-->    p0 10.9.0.1/24                 (a-e)
#     w1 10.9.1.2/24   <--veth-->    p1 10.9.1.1/24                 (b)
#                                    hxI 10.A.B.1/24 <--veth--> xv 10.A.B.2/24,
#                                                   xd, lo in netns X_I (c)
#     netns E1: e0 10.9.3.1/24 <--veth--> netns E2: e1 10.9.3.2/24  (d)
#
# sf_churn (built with the C tests) sends the requests of a and e: a
# process per request would make a few per second under TCG.
#
# Two precautions keep the VM itself out of the way:
# - Traffic runs on CPU 0 (taskset), the commands mostly on the others, so
#   configuration and datapath race on different CPUs and the floods do not
#   starve the shell.
# - An nft netdev table with an ingress and an egress chain on a dummy of
#   $HV holds the kernel's netdev ingress/egress static keys on for the
#   whole run. Otherwise the first port's attach and the last one's detach
#   live-patch __netif_receive_skb_core() and __dev_queue_xmit() (jump
#   labels, text_poke_bp) while floods run through them, and QEMU 7.2's TCG
#   wedges both vCPUs at the patched site (soft lockups, RCU stalls) within
#   seconds. The same happens with `tc qdisc add/del clsact` in place of
#   slotfilter: it is not slotfilter's doing (seen under TCG only; KVM was
#   not available to try).

source "$(dirname "$0")/service_lib.sh"
sf_require ping socat modprobe rmmod nft taskset
CHURN=$(dirname "$0")/sf_churn
[ -x "$CHURN" ] || sf_skip "$CHURN not built"

ITER=${SF_STRESS_ITER:-10}
# Which scenarios, by letter
SCENARIOS=${SF_STRESS_SCENARIOS:-a b c d e f}
# Rounds of sf_churn in each iteration of a
ROUNDS=${SF_STRESS_ROUNDS:-20}
KPAT='BUG:|WARNING:|Oops|general protection|refcount_t:|list_add corruption|list_del corruption|unreferenced object|KASAN|UBSAN|kernel BUG|Call Trace|INFO: task|detected stall|detected expedited stall'
TMP=$(mktemp -d)
bg_pids=()
TS=()
[ "$(nproc)" -lt 2 ] || TS=(taskset -c 0)

stress_cleanup()
{
	local p

	for p in ${bg_pids[@]+"${bg_pids[@]}"}; do
		kill "$p" 2>/dev/null || true
	done
	wait 2>/dev/null || true
	rm -rf "$TMP"
}
trap 'stress_cleanup; sf_cleanup' EXIT

want()
{
	[[ " $SCENARIOS " == *" $1 "* ]]
}

# bg COMMAND...: run on CPU 0 in the background, remembered for stop_bg.
bg()
{
	${TS[@]+"${TS[@]}"} "$@" >/dev/null 2>&1 &
	bg_pids+=($!)
}

# stop_bg: stop the background jobs started after the bystanders' traffic.
stop_bg()
{
	local from=$NBASE p

	for p in "${bg_pids[@]:$from}"; do
		kill "$p" 2>/dev/null || true
	done
	for p in "${bg_pids[@]:$from}"; do
		wait "$p" 2>/dev/null || true
	done
	bg_pids=("${bg_pids[@]:0:$from}")
}

# churn NS ARGS...: sf_churn in NS.
churn()
{
	"$CHURN" -N "$@"
}

# ports NS: the names of the namespace's ports, by ifindex, on one line.
ports()
{
	"$CHURN" -N "$1" -l
}

# quiet COMMAND...: without its output.
quiet()
{
	"$@" >/dev/null 2>&1
}

# churn_wait PID OUTPUT WHAT: wait for a churn; note its complaints.
churn_wait()
{
	local rc=0

	wait "$1" || rc=$?
	[ "$rc" -eq 0 ] ||
		note "$3: status $rc: $(grep -v '^sf_churn: [0-9]* rounds' "$2" | head -n 3 | xargs)"
}

# Failures of the current scenario, one line each.
fail_log=$TMP/fails
note()
{
	echo "$*" >>"$fail_log"
}

# run DESCRIPTION COMMAND...: run it; on failure note its first error line.
run()
{
	local desc=$1 err

	shift
	if ! err=$("$@" 2>&1 >/dev/null); then
		note "$desc: $(echo "$err" | head -n 1)"
		return 1
	fi
}

scenario_begin()
{
	scenario=$1
	: >"$fail_log"
	klog_lines=$(dmesg | wc -l)
	t_start=$SECONDS
}

# scenario_end WANT_HV WANT_WL: the ports left, traffic, the failures
# noted, the kernel log, the unload.
scenario_end()
{
	local nfail new

	check_eq "$scenario: ports left in HV" "$(ports "$HV")" "$1"
	check_eq "$scenario: ports left in WL" "$(ports "$WL")" "$2"
	# Any reply of five: a single ping may drown in the floods' backlog.
	check "$scenario: traffic still passes" \
		quiet ip netns exec "$WL" ping -c 5 -i 0.2 -W 2 10.9.0.1
	nfail=$(wc -l <"$fail_log")
	if [ "$nfail" -gt 0 ]; then
		echo "# $scenario: $nfail failures, the first ones:"
		head -n 8 "$fail_log" | sed 's/^/#   /'
	fi
	check_eq "$scenario: $ITER iterations without a failure" "$nfail" 0
	new=$(dmesg | tail -n +$((klog_lines + 1)) | grep -E "$KPAT" || true)
	[ -z "$new" ] || echo "$new" | head -n 20 | sed 's/^/# kernel: /'
	check_eq "$scenario: no kernel report" "$(echo "$new" | grep -c . || true)" 0
	check "$scenario: rmmod" rmmod slotfilter
	echo "# $scenario: $((SECONDS - t_start)) s"
}

# veth NS_A DEV_A ADDR_A NS_B DEV_B ADDR_B N [CMD]: like sf_veth, in two ip
# processes, with MAC addresses made from N (< 65536); CMD: one more ip
# command for NS_B.
veth()
{
	local ma mb

	ma=$(printf '02:00:00:%02x:%02x:01' $(($7 / 256)) $(($7 % 256)))
	mb=$(printf '02:00:00:%02x:%02x:02' $(($7 / 256)) $(($7 % 256)))
	ip -n "$1" -b - <<-EOF || return 1
	link add $2 address $ma type veth peer name $5 address $mb netns $4
	addr add $3/24 dev $2
	link set $2 up
	neigh replace $6 lladdr $mb dev $2 nud permanent
	EOF
	ip -n "$4" -b - <<-EOF
	addr add $6/24 dev $5
	link set $5 up
	neigh replace $3 lladdr $ma dev $5 nud permanent
	${8-}
	EOF
}

# flood NS ADDR: a ping flood from NS to ADDR, in the background.
flood()
{
	bg ip netns exec "$1" ping -f -q "$2"
}

# stream FROM_NS TO_NS TO_ADDR PORT: an endless TCP stream, in the
# background (the server takes every connection; the client reconnects).
stream()
{
	bg ip netns exec "$2" socat -u "TCP-LISTEN:$4,reuseaddr,fork" OPEN:/dev/null
	bg ip netns exec "$1" sh -c "while :; do socat -u /dev/zero TCP:$3:$4 2>/dev/null || sleep 0.2; done"
}


sf_topo
modprobe -r slotfilter 2>/dev/null || true
ip -n "$HV" link add hold0 type dummy
ip netns exec "$HV" nft -f - <<EOF
table netdev sf_stress_hold {
	chain in { type filter hook ingress device "hold0" priority 0; }
	chain out { type filter hook egress device "hold0" priority 0; }
}
EOF
# The bystanders' traffic over w0 <-> p0, both ways, all along.
flood "$WL" 10.9.0.1
flood "$HV" 10.9.0.2
stream "$WL" "$HV" 10.9.0.1 5001
NBASE=${#bg_pids[@]}

# ---- a. attach/detach under traffic -----------------------------------------
if want a; then
	scenario_begin "attach/detach"
	counted=0
	for i in $(seq "$ITER"); do
		churn "$HV" -s -n "$ROUNDS" add:p0 get:p0 del:p0 >"$TMP/a.hv" 2>&1 &
		hv=$!
		churn "$WL" -s -n "$ROUNDS" add:w0 get:w0 del:w0 >"$TMP/a.wl" 2>&1 &
		wl=$!
		churn "$HV" -s -n "$ROUNDS" dump >"$TMP/a.dump" 2>&1 &
		dump=$!
		churn_wait $hv "$TMP/a.hv" "iteration $i: p0"
		churn_wait $wl "$TMP/a.wl" "iteration $i: w0"
		churn_wait $dump "$TMP/a.dump" "iteration $i: dump"
		n=$(sed -n 's/.* counting \([0-9]*\),.*/\1/p' "$TMP/a.hv")
		counted=$((counted + ${n:-0}))
	done
	echo "# attach/detach: $counted reads of $((ITER * ROUNDS)) saw p0 count packets"
	# And attached for a moment longer, p0 counts the floods.
	churn "$HV" -s add:p0 >/dev/null
	sleep 0.5
	check "attach/detach: p0 counts the traffic" \
		grep -q ' counting 1,' <(churn "$HV" -s get:p0 del:p0)
	stop_bg
	scenario_end "" ""
fi

# ---- b. device deletion under traffic ---------------------------------------
if want b; then
	scenario_begin "device deletion"
	b_pid=()
	b_started=0
	run "attach p0" sf_ctl "$HV" port add dev p0
	run "attach w0" sf_ctl "$WL" port add dev w0
	for i in $(seq "$ITER"); do
		if ! run "iteration $i: make p1/w1" veth "$HV" p1 10.9.1.1 "$WL" w1 10.9.1.2 1; then
			ip -n "$HV" link del p1 2>/dev/null || true
			continue
		fi
		churn "$HV" -s add:p1 >"$TMP/b.hv" 2>&1 &
		hv=$!
		churn "$WL" -s add:w1 >"$TMP/b.wl" 2>&1 &
		churn_wait $! "$TMP/b.wl" "iteration $i: attach w1"
		churn_wait $hv "$TMP/b.hv" "iteration $i: attach p1"
		# Floods over p1/w1, both ways; ping may outlive the pair it used.
		if [ -z "${b_pid[0]-}" ] || ! kill -0 "${b_pid[0]}" 2>/dev/null; then
			flood "$WL" 10.9.1.1
			b_pid[0]=$!
			b_started=$((b_started + 1))
		fi
		if [ -z "${b_pid[1]-}" ] || ! kill -0 "${b_pid[1]}" 2>/dev/null; then
			flood "$HV" 10.9.1.2
			b_pid[1]=$!
			b_started=$((b_started + 1))
		fi
		sleep 0.2
		# Either end: the pair goes with it.
		if [ $((i % 2)) -eq 0 ]; then
			run "iteration $i: delete p1" ip -n "$HV" link del p1
		else
			run "iteration $i: delete w1" ip -n "$WL" link del w1
		fi
	done
	echo "# device deletion: $b_started floods started"
	stop_bg
	scenario_end "p0" "w0"
fi

# ---- c. namespace deletion under traffic ------------------------------------
if want c; then
	scenario_begin "namespace deletion"
	for i in $(seq "$ITER"); do
		# The flood into the previous namespace ran while it was torn down.
		stop_bg
		X=sf-x$i-$SF_RUN
		net=10.$((100 + i / 250)).$((i % 250))
		ip netns add "$X"
		if ! run "iteration $i: make hx$i/xv, xd" veth "$HV" "hx$i" "$net.1" \
			"$X" xv "$net.2" "$i" "link add xd up type dummy"; then
			ip netns del "$X"
			continue
		fi
		churn "$X" -s add:xv add:xd add:lo >"$TMP/c.x" 2>&1 &
		x=$!
		churn "$HV" -s "add:hx$i" >"$TMP/c.hv" 2>&1 &
		churn_wait $! "$TMP/c.hv" "iteration $i: attach hx$i"
		churn_wait $x "$TMP/c.x" "iteration $i: attach in X"
		# Requests in, replies out: both directions through xv and hx.
		flood "$HV" "$net.2"
		sleep 0.2
		# Nothing runs in X: it ends now, dismantled in the background while
		# the flood from $HV keeps coming in.
		run "iteration $i: delete X" ip netns del "$X"
	done
	stop_bg
	# Every namespace's veth pair goes with it, and its port in $HV.
	for _ in $(seq 300); do
		left=$(ip -n "$HV" -o link show type veth | awk -F': ' '$2 ~ /^hx/ { print $2 }')
		[ -n "$left" ] || break
		sleep 0.1
	done
	[ -z "$left" ] || note "still there 30 s after their namespaces were deleted: ${left//$'\n'/ }"
	scenario_end "" ""
fi

# ---- d. rmmod under traffic -------------------------------------------------
if want d; then
	scenario_begin "rmmod"
	E1=sf-e1-$SF_RUN
	E2=sf-e2-$SF_RUN
	ip netns add "$E1"
	ip netns add "$E2"
	veth "$E1" e0 10.9.3.1 "$E2" e1 10.9.3.2 3
	ip -n "$E2" link set lo up
	flood "$E1" 10.9.3.2
	flood "$E2" 10.9.3.1
	for i in $(seq "$ITER"); do
		if ! grep -q '^slotfilter ' /proc/modules; then
			run "iteration $i: modprobe" modprobe slotfilter || continue
		fi
		pids=()
		for spec in "$HV:p0" "$WL:w0" "$E1:e0" "$E2:e1 add:lo"; do
			# shellcheck disable=SC2086 # "e1 add:lo": two operations
			churn "${spec%%:*}" -s add:${spec#*:} >"$TMP/d.${spec%%:*}" 2>&1 &
			pids+=($!)
		done
		j=0
		for spec in "$HV:p0" "$WL:w0" "$E1:e0" "$E2:e1 add:lo"; do
			churn_wait "${pids[$j]}" "$TMP/d.${spec%%:*}" "iteration $i: attach ${spec#*:}"
			j=$((j + 1))
		done
		run "iteration $i: rmmod" rmmod slotfilter
		! grep -q '^slotfilter ' /proc/modules ||
			note "iteration $i: the module is still loaded after rmmod"
	done
	check "rmmod: E1 -> E2 still passes" quiet ip netns exec "$E1" ping -c 5 -i 0.2 -W 2 10.9.3.2
	stop_bg
	modprobe slotfilter
	check_eq "rmmod: no port in E1, E2 after the reload" "$(ports "$E1")/$(ports "$E2")" /
	scenario_end "" ""
fi

# ---- e. concurrent configuration --------------------------------------------
# sf_churn without -s counts what the races allow: EEXIST and ENOENT
# between attach and detach, a device gone (d0, deleted and remade), the
# family gone (the module unloaded; resolving it loads it again).
if want e; then
	scenario_begin "concurrent"
	ip -n "$HV" link add d0 type dummy
	touch "$TMP/run"
	churn "$HV" -d 10000 -w "$TMP/run" add:p0 del:p0 >"$TMP/e.A" 2>&1 &
	A=$!
	churn "$HV" -d 10000 -w "$TMP/run" add:p0 get:p0 dump del:p0 >"$TMP/e.B" 2>&1 &
	B=$!
	churn "$HV" -d 10000 -w "$TMP/run" add:d0 get:d0 del:d0 >"$TMP/e.C" 2>&1 &
	C=$!
	churn "$WL" -d 10000 -w "$TMP/run" add:w0 dump del:w0 >"$TMP/e.D" 2>&1 &
	D=$!
	for i in $(seq "$ITER"); do
		run "iteration $i: delete d0" ip -n "$HV" link del d0
		run "iteration $i: make d0" ip -n "$HV" link add d0 type dummy
		if [ $((i % 2)) -eq 0 ]; then
			# Busy while a dump holds the module (kmod says "in use", or
			# EAGAIN if it took the reference after kmod looked), or gone.
			err=$(rmmod slotfilter 2>&1) ||
				echo "$err" | grep -qE 'in use|not currently loaded|temporarily unavailable' ||
				note "iteration $i: rmmod: $err"
			run "iteration $i: modprobe" modprobe slotfilter
		fi
	done
	rm "$TMP/run"
	churn_wait $A "$TMP/e.A" "A (p0)"
	churn_wait $B "$TMP/e.B" "B (p0)"
	churn_wait $C "$TMP/e.C" "C (d0)"
	churn_wait $D "$TMP/e.D" "D (w0)"
	for w in A B C D; do
		echo "# concurrent: $w: $(tail -n 1 "$TMP/e.$w" | sed 's/^sf_churn: //')"
	done
	grep -q '^slotfilter ' /proc/modules || modprobe slotfilter
	for ns in "$HV" "$WL"; do
		for dev in $(ports "$ns"); do
			run "cleanup: detach $dev" sf_ctl "$ns" port del dev "$dev"
		done
	done
	ip -n "$HV" link del d0 2>/dev/null || true
	stop_bg
	scenario_end "" ""
fi

# ---- f. services under traffic ----------------------------------------------
# The floods' ICMP entering p0 is redirected to service st (policy open, so
# nothing the helpers miss is lost). Each iteration binds a helper that
# answers continue, moves st to slot 8 and back under the floods, and kills
# the helper with packets in flight; every other iteration a hung helper
# holds packets and st is deleted with them, then added again.
if want f; then
	scenario_begin "services"
	st_add()
	{
		run "$1: add st" svc add st 4 policy open timeout 500 queue 256 &&
			run "$1: redirect" svc commit redirect st 1 redirect dir in proto 1
	}
	run "attach p0" sf_ctl "$HV" port add dev p0
	st_add "setup"
	for i in $(seq "$ITER"); do
		if ! svc_serve st f >/dev/null; then
			note "iteration $i: the helper did not bind: $(head -n 1 "$SF_TMP/f.err")"
			svc_stop f
			continue
		fi
		sleep 0.2
		run "iteration $i: move to 8" svc set st slot 8
		sleep 0.1
		run "iteration $i: move to 4" svc set st slot 4
		kill -9 "${SVC_PID[f]}" 2>/dev/null
		wait "${SVC_PID[f]}" 2>/dev/null || true
		[ $((i % 2)) -eq 0 ] || continue
		if ! svc_serve st h -v hang >/dev/null; then
			note "iteration $i: the hung helper did not bind: $(head -n 1 "$SF_TMP/h.err")"
			svc_stop h
			continue
		fi
		sleep 0.2
		run "iteration $i: its rules go" svc commit
		run "iteration $i: delete st with packets held" svc del st
		svc_stop h
		st_add "iteration $i"
	done
	sleep 1
	check_eq "services: nothing held, nothing failed closed, nothing dropped" \
		"$(svc_stat st held) $(svc_stat st failed_closed) $(svc_stat st dropped)" "0 0 0"
	echo "# services: last st: redirected $(svc_stat st redirected), continued $(svc_stat st continued), helper_gone $(svc_stat st helper_gone), no_helper $(svc_stat st no_helper)"
	run "cleanup: its rules go" svc commit
	run "cleanup: delete st" svc del st
	run "cleanup: detach p0" sf_ctl "$HV" port del dev p0
	stop_bg
	scenario_end "" ""
fi

sf_done
