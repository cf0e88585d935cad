# SPDX-License-Identifier: GPL-2.0
#
# Helpers of the benchmarks (sourced after lib.sh): pktgen runs on p0 and
# medians.

pg()
{
	echo "$2" >"/proc/net/pktgen/$1"
}

# pktgen_start MODE [PKTGEN-COMMAND...]: pktgen on p0 in the background,
# UDP from 10.0.0.1:9 to 10.99.0.2:9 unless the extra commands say
# otherwise, until pktgen_stop, which prints its packets per second.
pktgen_start()
{
	local mode=$1 cmd

	shift
	pg kpktgend_0 rem_device_all
	pg kpktgend_0 "add_device p0"
	pg p0 "xmit_mode $mode"
	pg p0 "count 0"
	pg p0 "pkt_size 64"
	# queue_xmit sends one skb at a time; netif_receive may reuse one.
	[ "$mode" = queue_xmit ] || pg p0 "burst ${SF_BENCH_BURST:-1}"
	pg p0 "src_min 10.0.0.1"
	pg p0 "src_max 10.0.0.1"
	pg p0 "dst 10.99.0.2"
	pg p0 "dst_mac 02:00:00:00:00:02"
	for cmd in "$@"; do
		pg p0 "$cmd"
	done
	# writing start returns when the run ends: here, when it is stopped
	pg pgctrl start &
	PKTGEN_PID=$!
}

pktgen_stop()
{
	pg pgctrl stop
	wait "$PKTGEN_PID" || true
	sed -n 's/.* \([0-9]\+\)pps.*/\1/p' /proc/net/pktgen/p0
}

# run_pktgen MODE SECONDS [PKTGEN-COMMAND...]: one pktgen run on p0 for
# SECONDS of wall clock; prints packets per second. Bounded by time, not
# by a count: a configuration 100 times slower than another (a linear
# nft chain of 10,000 rules) must not make its run 100 times longer.
run_pktgen()
{
	local mode=$1 secs=$2

	shift 2
	pktgen_start "$mode" "$@"
	sleep "$secs"
	pktgen_stop
}

median()
{
	sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# ratio A B: A / B with three decimals.
ratio()
{
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b ? a / b : 0 }'
}
