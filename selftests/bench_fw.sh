#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The firewall's speed, measured with pktgen in the VM (run by `make
# bench`): packets per second into a port whose ruleset holds N = 1, 100,
# 1000 and 10000 rules (N - 1 that never match, then the allow rule that
# does: the worst case for a linear walk), against the same port with an
# empty ruleset and against an nftables netdev ingress chain on the same
# device holding the same rules, (a) as a linear chain and (b) as a
# verdict map. Two traffic shapes: one established flow, and every packet
# a new flow (random source address and port). Also the memory of a
# tracked flow and of the compiled ruleset, and the time to commit 10,000
# rules next to `nft -f` loading them.
#
#     init netns of the VM                 netns $SINK
#     p0 (the port) <------- veth -------> w0

source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/bench_lib.sh"
sf_require nft
SINK=sf-sink-$SF_RUN
RUNS=${SF_BENCH_RUNS:-5}
SECONDS_PER_RUN=${SF_BENCH_SECONDS:-2}
SIZES=${SF_BENCH_RULES:-1 100 1000 10000}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"; sf_cleanup' EXIT

modprobe pktgen
modprobe slotfilter
sf_ns "$SINK"
ip link add p0 type veth peer name w0 netns "$SINK"
ip link set p0 up
ip -n "$SINK" link set w0 up
sysctl -qw net.ipv6.conf.p0.disable_ipv6=1
"$SLOTCTL" port add dev p0

# Rule i (1 <= i < N) drops UDP from 172.16.x.y to port 1000 + i: traffic
# from 10.0.0.0/8 matches none of them, only the last rule.
gen_rules()
{
	local n=$1

	awk -v n="$n" 'BEGIN {
		print "port p0"
		print "firewall default drop"
		print "firewall flow-max 1000000"
		print "firewall timeout udp 2"
		for (i = 1; i < n; i++)
			printf "rule %d drop src 172.16.%d.%d proto udp dport %d\n",
			       i, int(i / 256), i % 256, 1000 + i
		printf "rule %d allow dst 10.99.0.0/16 proto udp\n", n
	}' >"$WORK/fw$n.conf"
	awk -v n="$n" 'BEGIN {
		print "table netdev sfb {"
		print "  chain in {"
		print "    type filter hook ingress device p0 priority 0; policy drop;"
		for (i = 1; i < n; i++)
			printf "    ip saddr 172.16.%d.%d udp dport %d drop\n",
			       int(i / 256), i % 256, 1000 + i
		print "    ip daddr 10.99.0.0/16 meta l4proto udp accept"
		print "  }"
		print "}"
	}' >"$WORK/lin$n.nft"
	awk -v n="$n" 'BEGIN {
		print "table netdev sfb {"
		print "  map m {"
		print "    type ipv4_addr . inet_service : verdict"
		if (n > 1) {
			printf "    elements = {"
			for (i = 1; i < n; i++)
				printf "%s 172.16.%d.%d . %d : drop", (i > 1 ? "," : ""),
				       int(i / 256), i % 256, 1000 + i
			print " }"
		}
		print "  }"
		print "  chain in {"
		print "    type filter hook ingress device p0 priority 0; policy drop;"
		print "    ip saddr . udp dport vmap @m"
		print "    ip daddr 10.99.0.0/16 meta l4proto udp accept"
		print "  }"
		print "}"
	}' >"$WORK/set$n.nft"
}

printf 'port p0\nfirewall default allow\n' >"$WORK/empty.conf"

setup()
{
	case $1 in
	port)	"$SLOTCTL" apply -f "$WORK/empty.conf" ;;
	fw)	"$SLOTCTL" apply -f "$WORK/fw$2.conf" ;;
	lin)	"$SLOTCTL" apply -f "$WORK/empty.conf"; nft -f "$WORK/lin$2.nft" ;;
	set)	"$SLOTCTL" apply -f "$WORK/empty.conf"; nft -f "$WORK/set$2.nft" ;;
	esac
}

teardown()
{
	case $1 in
	lin|set) nft delete table netdev sfb ;;
	esac
}

NEW_FLOWS=("flag UDPSRC_RND" "udp_src_min 1" "udp_src_max 65535"
	   "flag IPSRC_RND" "src_min 10.0.0.1" "src_max 10.255.255.254")

measure()
{
	if [ "$1" = est ]; then
		run_pktgen netif_receive "$SECONDS_PER_RUN"
	else
		run_pktgen netif_receive "$SECONDS_PER_RUN" "${NEW_FLOWS[@]}"
	fi
}

# warm up (module, page cache, pktgen's thread)
setup port
run_pktgen netif_receive 1 >/dev/null

results=$WORK/results
for n in $SIZES; do
	gen_rules "$n"
	for run in $(seq "$RUNS"); do
		for cfg in port fw lin set; do
			setup $cfg "$n"
			for shape in est new; do
				pps=$(measure $shape)
				echo "$n $cfg $shape $pps" >>"$results"
			done
			teardown $cfg
		done
		echo "# N=$n run $run done"
	done
done

med()
{
	awk -v n="$1" -v c="$2" -v s="$3" \
		'$1 == n && $2 == c && $3 == s { print $4 }' "$results" | median
}

echo
echo "firewall: packets per second (medians of $RUNS interleaved runs, 64-byte UDP, ingress)"
printf '%-7s %-5s %12s %12s %12s %12s %9s %9s %9s\n' rules shape port-empty \
	slotfilter nft-linear nft-vmap "fw/port" "fw/lin" "fw/vmap"
for n in $SIZES; do
	for shape in est new; do
		p=$(med "$n" port $shape)
		f=$(med "$n" fw $shape)
		l=$(med "$n" lin $shape)
		s=$(med "$n" set $shape)
		printf '%-7s %-5s %12s %12s %12s %12s %9s %9s %9s\n' "$n" $shape \
			"$p" "$f" "$l" "$s" "$(ratio "$f" "$p")" \
			"$(ratio "$f" "$l")" "$(ratio "$f" "$s")"
	done
done

# Commit time of the largest ruleset, and memory.
n=${SIZES##* }
ms()
{
	local t0 t1

	t0=$(date +%s%N)
	"$@" >/dev/null
	t1=$(date +%s%N)
	echo $(((t1 - t0) / 1000000))
}
setup port
for run in 1 2 3; do
	echo "fw $(ms "$SLOTCTL" apply -f "$WORK/fw$n.conf")" >>"$WORK/commit"
	echo "lin $(ms nft -f "$WORK/lin$n.nft")" >>"$WORK/commit"
	nft delete table netdev sfb
	echo "set $(ms nft -f "$WORK/set$n.nft")" >>"$WORK/commit"
	nft delete table netdev sfb
	setup port
done
"$SLOTCTL" apply -f "$WORK/fw$n.conf"
echo
for c in fw lin set; do
	printf 'commit %s rules (%s): %s ms\n' "$n" $c \
		"$(awk -v c=$c '$1 == c { print $2 }' "$WORK/commit" | median)"
done
"$SLOTCTL" -j fw show | python3 -c '
import json, sys
fw = json.load(sys.stdin)
print("memory: compiled ruleset of %d rules: %d bytes (%.0f per rule); a tracked flow: %d bytes"
      % (fw["rules-count"], fw["memory"], fw["memory"] / max(fw["rules-count"], 1), fw["flow-size"]))'
