#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A service's round trip through userspace against NFQUEUE's, measured
# with pktgen in the VM (run by `make bench`). One UDP flow of 64-byte
# frames is injected into p0's receive path (pktgen xmit_mode
# netif_receive, addressed to p0 so that it goes up the IP stack), and
# what comes out of the other end is counted: an nftables input chain
# counts and drops every packet delivered to 10.99.0.2. Four cases,
# interleaved, in the same boot:
#
#   empty     p0 attached, no service: the baseline
#   svc       service at slot 4 (failure-policy closed, queue-max QMAX,
#             copy full), a redirect rule matching every ingress packet,
#             slotd's builtin:noop verdict=continue: every packet goes to
#             slotd and back
#   nfq       no slotfilter port; an nftables prerouting chain `queue num
#             0`, nfq_bench consuming it (copy the whole packet, queue
#             maxlen QMAX, fail-open off, batch verdicts): every packet
#             goes to nfq_bench and back
#   flow      as svc with verdict=continue-flow: the first packets go up,
#             the rest of the flow stays in the kernel
#
#     init netns of the VM                   netns $SINK
#     p0 10.99.0.2/24 (the port) <- veth -> w0 (silent)
#     pktgen -> p0's receive path -> [slot 4 -> slotd | prerouting ->
#     nfq_bench] -> input: counted, dropped
#
# pktgen offers more than either path takes: the queues fill and drop
# (a full slotfilter queue with policy closed drops, as a full NFQUEUE
# with fail-open off does), so the delivered rate is each path's
# capacity. slotd and nfq_bench run on CPU 1, pktgen's thread on CPU 0.
# Counting starts half a second into each run and lasts
# SF_BENCH_SECONDS (2). SF_BENCH_QMAX sets queue-max and the NFQUEUE
# maxlen (4096), SF_BENCH_BATCH the verdicts a message (64) of both
# slotd and nfq_bench. SF_BENCH_PERF=1 profiles each run's window
# (perf record -a) and prints where CPU 0 and CPU 1 spent it.

source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/bench_lib.sh"
sf_require nft taskset
SLOTD=${SLOTD:-$SF_TOP/tools/slotd/slotd}
NFQ=$SF_TOP/selftests/nfq_bench
SVC=$SF_TOP/selftests/svc_helper
[ -x "$SLOTD" ] && [ -x "$NFQ" ] && [ -x "$SVC" ] ||
	sf_skip "slotd, nfq_bench or svc_helper not built"
SINK=sf-sink-$SF_RUN
RUNS=${SF_BENCH_RUNS:-5}
SECONDS_PER_RUN=${SF_BENCH_SECONDS:-2}
QMAX=${SF_BENCH_QMAX:-4096}
BATCH=${SF_BENCH_BATCH:-64}
CASES="empty svc nfq flow"
WORK=$(mktemp -d)
USER_PID=
trap 'user_stop >/dev/null; rm -rf "$WORK"; sf_cleanup' EXIT

if [ -n "${SF_BENCH_PERF-}" ]; then
	sf_require perf
	echo 0 >/proc/sys/kernel/kptr_restrict
	echo -1 >/proc/sys/kernel/perf_event_paranoid
fi
modprobe pktgen
modprobe slotfilter
modprobe nfnetlink_queue
modprobe nft_queue
sf_ns "$SINK"
ip link add p0 type veth peer name w0 netns "$SINK"
ip link set p0 up
ip -n "$SINK" link set w0 up
sysctl -qw net.ipv6.conf.p0.disable_ipv6=1 net.ipv4.conf.all.rp_filter=0 \
	net.ipv4.conf.p0.rp_filter=0
ip addr add 10.99.0.2/24 dev p0
P0_MAC=$(cat /sys/class/net/p0/address)
nft -f - <<-EOF
	table inet sfb_sink {
		counter delivered { }
		chain in {
			type filter hook input priority 0; policy accept;
			ip daddr 10.99.0.2 udp dport 9 counter name delivered drop
		}
	}
EOF

delivered()
{
	nft list counter inet sfb_sink delivered |
		sed -n 's/.*packets \([0-9]*\).*/\1/p'
}

# cpu1_idle: "IDLE TOTAL" jiffies of CPU 1 (slotd's and nfq_bench's).
cpu1_idle()
{
	awk '$1 == "cpu1" { print $5 + $6, $2 + $3 + $4 + $5 + $6 + $7 + $8 }' /proc/stat
}

# svc_show: the service's counters, "key value" lines.
svc_show()
{
	"$SVC" show svc
}

svc_count()
{
	awk -v k="$1" '$1 == k { print $2 }' "$WORK/svc.now"
}

# nfq_count FIELD: a field of queue 0 in /proc/net/netfilter/nfnetlink_queue
# (6: dropped, queue full; 7: dropped, netlink could not deliver).
nfq_count()
{
	awk -v f="$1" '$1 == 0 { print $f }' /proc/net/netfilter/nfnetlink_queue
}

# The userspace side (slotd or nfq_bench), on CPU 1.
user_start()
{
	local verdict=$1 i

	if [ "$verdict" = nfq ]; then
		taskset -c 1 "$NFQ" -q 0 -b "$BATCH" -m "$QMAX" >"$WORK/user.out" &
		USER_PID=$!
		for i in $(seq 200); do
			grep -q ready "$WORK/user.out" && return 0
			sleep 0.05
		done
		echo "# nfq_bench did not bind"
		return 1
	fi
	printf 'batch %s\nservice svc builtin:noop verdict=%s\n' "$BATCH" \
		"$verdict" >"$WORK/slotd.conf"
	: >"$WORK/user.out"
	taskset -c 1 "$SLOTD" -c "$WORK/slotd.conf" 2>"$WORK/user.out" &
	USER_PID=$!
	for i in $(seq 200); do
		[ "$(svc_show | awk '$1 == "state" { print $2 }')" = up ] &&
			return 0
		sleep 0.05
	done
	echo "# slotd did not bind"
	return 1
}

# user_stop: stops it; writes "packets P wakeups W user-ms U sys-ms S
# messages M" (packets it handled, voluntary context switches, CPU time
# in userspace and in the kernel, verdict messages sent) to
# $WORK/user.stats.
user_stop()
{
	local w c p m

	[ -n "$USER_PID" ] || return 0
	w=$(awk '$1 == "voluntary_ctxt_switches:" { print $2 }' \
		"/proc/$USER_PID/status" 2>/dev/null)
	c=$(awk -v hz="$(getconf CLK_TCK)" \
		'{ print "user-ms", int($14 * 1000 / hz), "sys-ms", int($15 * 1000 / hz) }' \
		"/proc/$USER_PID/stat" 2>/dev/null)
	# slotd logs its counters on SIGUSR1, nfq_bench prints them at exit
	if [ -e "$WORK/slotd.conf" ]; then
		kill -USR1 "$USER_PID" 2>/dev/null || true
		sleep 0.2
	fi
	kill "$USER_PID" 2>/dev/null || true
	wait "$USER_PID" 2>/dev/null || true
	USER_PID=
	p=$(sed -n 's/.*packets \([0-9]*\).*/\1/p' "$WORK/user.out" | tail -n 1)
	m=$(sed -n -e 's/.*kernel messages \([0-9]*\).*/\1/p' \
		-e 's/.*verdicts \([0-9]*\) rounds.*/\1/p' "$WORK/user.out" | tail -n 1)
	rm -f "$WORK/slotd.conf"
	echo "packets ${p:-0} wakeups ${w:-0} ${c:-user-ms 0 sys-ms 0} messages ${m:-0}" \
		>"$WORK/user.stats"
}

setup()
{
	case $1 in
	empty)	"$SLOTCTL" port add dev p0 ;;
	svc|flow)
		"$SLOTCTL" port add dev p0
		"$SLOTCTL" service add svc slot 4 failure-policy closed \
			timeout 10000 queue-max "$QMAX" copy full
		"$SLOTCTL" redirect add service svc 1 redirect dir ingress
		user_start "$([ "$1" = svc ] && echo continue || echo continue-flow)"
		;;
	nfq)	nft -f - <<-EOF
		table inet sfb_q {
			chain pre {
				type filter hook prerouting priority 0; policy accept;
				iif p0 queue num 0
			}
		}
		EOF
		user_start nfq
		;;
	esac
}

teardown()
{
	case $1 in
	empty)	"$SLOTCTL" port del dev p0 ;;
	svc|flow)
		user_stop
		"$SLOTCTL" redirect del service svc 1
		"$SLOTCTL" service del svc
		# the port's flows go with it: no cached verdict survives
		"$SLOTCTL" port del dev p0
		;;
	nfq)	user_stop
		nft delete table inet sfb_q
		;;
	esac
}

# measure CASE: one run; appends "CASE offered delivered drops ..." to
# the results and prints it.
measure()
{
	local cfg=$1 c0 c1 t0 t1 i0 i1 d0=0 d1=0 offered pps drops extra user idle

	setup "$cfg"
	pktgen_start netif_receive "dst_mac $P0_MAC"
	sleep 0.5
	case $cfg in
	svc|flow) svc_show >"$WORK/svc.now"; d0=$(svc_count failed_closed) ;;
	nfq)	d0=$(($(nfq_count 6) + $(nfq_count 7))) ;;
	esac
	c0=$(delivered)
	t0=$(date +%s%N)
	i0=$(cpu1_idle)
	if [ -n "${SF_BENCH_PERF-}" ] && [ "$cfg" != empty ]; then
		perf record -q -a -o "$WORK/perf.$cfg.$run" -- \
			sleep "$SECONDS_PER_RUN" 2>/dev/null
	else
		sleep "$SECONDS_PER_RUN"
	fi
	i1=$(cpu1_idle)
	c1=$(delivered)
	t1=$(date +%s%N)
	case $cfg in
	svc|flow) svc_show >"$WORK/svc.now"; d1=$(svc_count failed_closed)
		extra="queue-full $(svc_count queue_full) most-held $(svc_count most_held) timed-out $(svc_count timed_out) flow-continued $(svc_count flow_continued)" ;;
	nfq)	d1=$(($(nfq_count 6) + $(nfq_count 7)))
		extra="queue-full $(nfq_count 6) user-dropped $(nfq_count 7)" ;;
	esac
	# not in $(): pktgen_stop waits for a child of this shell
	pktgen_stop >"$WORK/offered"
	offered=$(cat "$WORK/offered")
	: >"$WORK/user.stats"
	teardown "$cfg"
	user=$(cat "$WORK/user.stats")
	pps=$(((c1 - c0) * 1000000000 / (t1 - t0)))
	drops=$(((d1 - d0) * 1000000000 / (t1 - t0)))
	echo "$cfg ${offered:-0} $pps $drops $user" >>"$WORK/results"
	idle=$(echo "$i0 $i1" | awk '{ print ($4 > $2 ? int(100 * ($3 - $1) / ($4 - $2)) : 0) }')
	echo "# run $run $cfg: offered $offered pps, delivered $pps pps, dropped at the queue $drops/s, CPU 1 idle $idle%${extra:+, $extra}${user:+; userspace: $user}"
}

# warm up (modules, page cache, pktgen's thread)
"$SLOTCTL" port add dev p0
run_pktgen netif_receive 1 "dst_mac $P0_MAC" >/dev/null
"$SLOTCTL" port del dev p0

for run in $(seq "$RUNS"); do
	for cfg in $CASES; do
		measure $cfg
	done
done
pg kpktgend_0 rem_device_all

med()
{
	awk -v c="$1" -v f="$2" '$1 == c { print $f }' "$WORK/results" | median
}

# per-packet figures of the userspace side, summed over the runs
per()
{
	awk -v c="$1" '$1 == c { n += $6; w += $8; u += $10; k += $12; m += $14 }
		END { if (n) printf "%.0f packets a wakeup, %.1f a verdict message; CPU a packet: %.2f us user, %.2f us kernel",
		      n / (w ? w : 1), n / (m ? m : 1), u * 1000 / n, k * 1000 / n }' "$WORK/results"
}

echo
echo "services: packets per second delivered (medians of $RUNS interleaved runs, 64-byte UDP, one flow, ingress)"
printf '%-6s %12s %12s %14s\n' case offered delivered "queue drops/s"
for cfg in $CASES; do
	printf '%-6s %12s %12s %14s\n' $cfg "$(med $cfg 2)" "$(med $cfg 3)" \
		"$(med $cfg 4)"
done
echo "(empty: attached port, no service; svc: slotd builtin:noop continue;"
echo " nfq: NFQUEUE + nfq_bench; flow: builtin:noop continue-flow;"
echo " queue-max and NFQUEUE maxlen $QMAX, verdicts batched by $BATCH)"
echo "svc userspace: $(per svc)"
echo "nfq userspace: $(per nfq)"
echo "bench: svc-continue/nfqueue = $(ratio "$(med svc 3)" "$(med nfq 3)") (goal 1.5)"
echo "bench: continue-flow/empty-slot = $(ratio "$(med flow 3)" "$(med empty 3)") (goal 0.95)"

[ -n "${SF_BENCH_PERF-}" ] || exit 0
# where the time of the first run's window went: CPU 0 (pktgen's thread:
# the packet path up to the queue) and CPU 1 (the userspace side: its
# receive, its own work, its verdicts and the packets' way on from there)
report()
{
	perf report -q -i "$WORK/perf.$1.1" --no-children "${@:2}" 2>/dev/null
}
for cfg in svc nfq flow; do
	echo
	echo "perf: $cfg, CPU 0, by program and object:"
	report $cfg -C 0 --sort comm,dso | head -n 4
	echo "perf: $cfg, CPU 0, by function:"
	report $cfg -C 0 --sort sym | head -n 25
	echo "perf: $cfg, CPU 1, by program and object:"
	report $cfg -C 1 --sort comm,dso | head -n 8
	[ $cfg = flow ] && continue
	comm=$([ $cfg = nfq ] && echo nfq_bench || echo slotd)
	echo "perf: $cfg, CPU 1, $comm by function (share of $comm's samples):"
	report $cfg -C 1 --comm $comm --percentage relative --sort dso,sym |
		head -n 40
done
