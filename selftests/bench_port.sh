#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What an attached port with empty slots costs, measured with pktgen inside
# the VM (run by `make bench`): packets per second through a veth with no
# module, with the module loaded, with an empty nftables netdev chain on
# each hook (the baseline of any netfilter netdev hook), and with the port
# attached, interleaved, for both hooks. The ratios compare runs of the
# same boot.
#
#     init netns of the VM                 netns $SINK
#     p0 (the port) <------- veth -------> w0 (drops it all: wrong MAC)
#
# ingress: pktgen xmit_mode netif_receive injects into p0's receive path
#          (the ingress hook, then the stack drops the frame: otherhost),
#          a fresh skb per packet as a NIC would give (SF_BENCH_BURST=32
#          reuses one skb 32 times: the hook's share of the cost is then
#          at its largest);
# egress:  pktgen xmit_mode queue_xmit sends through dev_queue_xmit on p0
#          (the egress hook, the qdisc, veth; w0 drops it).

source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/bench_lib.sh"
sf_require nft
SINK=sf-sink-$SF_RUN
RUNS=${SF_BENCH_RUNS:-5}
SECONDS_PER_RUN=${SF_BENCH_SECONDS:-2}

sf_module_unload
modprobe pktgen
sf_ns "$SINK"
ip link add p0 type veth peer name w0 netns "$SINK"
ip link set p0 up
ip -n "$SINK" link set w0 up
sysctl -qw net.ipv6.conf.p0.disable_ipv6=1

setup()
{
	case $1 in
	none)	sf_module_unload ;;
	loaded)	sf_module_unload; modprobe slotfilter ;;
	nft)	sf_module_unload; nft -f - <<-EOF
		table netdev sf_bench {
			chain in { type filter hook ingress device p0 priority 0; }
			chain out { type filter hook egress device p0 priority 0; }
		}
		EOF
		;;
	attached) modprobe slotfilter; "$SLOTCTL" port add dev p0 ;;
	esac
}

teardown()
{
	case $1 in
	attached) "$SLOTCTL" port del dev p0 ;;
	nft) nft delete table netdev sf_bench ;;
	esac
}

# warm up (module, page cache, pktgen's thread)
run_pktgen netif_receive 1 >/dev/null

results=$(mktemp)
for run in $(seq "$RUNS"); do
	for cfg in none loaded nft attached; do
		setup $cfg
		pps_in=$(run_pktgen netif_receive "$SECONDS_PER_RUN")
		pps_out=$(run_pktgen queue_xmit "$SECONDS_PER_RUN")
		teardown $cfg
		echo "$cfg ingress $pps_in" >>"$results"
		echo "$cfg egress $pps_out" >>"$results"
		echo "# run $run $cfg: ingress $pps_in pps, egress $pps_out pps"
	done
done
pg kpktgend_0 rem_device_all

echo
printf '%-10s %14s %14s\n' "" "ingress pps" "egress pps"
for cfg in none loaded nft attached; do
	for dir in ingress egress; do
		eval "med_${cfg}_$dir=$(awk -v c=$cfg -v d=$dir '$1 == c && $2 == d { print $3 }' "$results" | median)"
	done
	eval "printf '%-10s %14s %14s\n' $cfg \$med_${cfg}_ingress \$med_${cfg}_egress"
done
echo "(medians of $RUNS interleaved runs, 64-byte frames)"
awk -v a="$med_attached_ingress" -v b="$med_none_ingress" \
	'BEGIN { printf "bench: ingress attached/no-module = %.3f\n", a / b }'
awk -v a="$med_attached_egress" -v b="$med_none_egress" \
	'BEGIN { printf "bench: egress attached/no-module = %.3f\n", a / b }'
awk -v a="$med_attached_ingress" -v b="$med_nft_ingress" \
	'BEGIN { printf "bench: ingress attached/nft-empty-chain = %.3f\n", a / b }'
awk -v a="$med_attached_egress" -v b="$med_nft_egress" \
	'BEGIN { printf "bench: egress attached/nft-empty-chain = %.3f\n", a / b }'
awk -v a="$med_loaded_ingress" -v b="$med_none_ingress" \
	'BEGIN { printf "bench: ingress loaded-no-port/no-module = %.3f\n", a / b }'
rm -f "$results"
