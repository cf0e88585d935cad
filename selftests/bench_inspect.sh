#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The inspection services' cost on real HTTP in the VM (run by `make
# bench`), in the same boot as the other benchmarks.
#
# Bulk: curl in $WL fetches a file of SF_BENCH_MB (16) MiB (HTML-like
# text) from a sendfile(2) server on p0's side, port 80; the transfer's
# bytes per second, four cases interleaved:
#
#   empty   p0 attached, no service: the baseline
#   noop    service svc at slot 4 (failure-policy closed), redirect rules
#           taking TCP to port 80 (ingress) and from port 80 (egress),
#           slotd's builtin:noop verdict=continue: every packet of the
#           transfer goes to slotd and back
#   ips     the same with builtin:ips, 1,000 content rules
#           (bench_inspect.py), prevent mode, stream-depth and
#           inspect-depth above the transfer's size: every byte is
#           reassembled and scanned, no continue-flow
#   flow    builtin:ips with the same rules and the default inspect-depth
#           (64k): after the first 64 KiB the flow gets continue-flow and
#           the rest stays in the kernel
#
# Connections: curl makes SF_BENCH_CONNS (200) HTTP requests to
# bench.example, a new connection each (the server closes), through p0
# with no service (`conn-empty`) and with builtin:webrep at slot 4
# (`conn-web`; database of 1,000 entries listing bench.example, 90 news;
# ingress TCP to port 80 redirected); the time a connection, and what the
# service adds to it.
#
#     netns $WL                     netns $HV
#     w0 10.9.0.2 <----veth----> p0 10.9.0.1 (port; slot 4: the service)
#     curl (CPU 0)                   bench_inspect.py serve :80 (CPU 0)
#                                    slotd (CPU 1)
#
# One slotd holds every service (noop, ips, flow, web); each case adds
# its kernel service under that name, slotd binds it, and the case deletes
# it at its end. Each figure is the median of SF_BENCH_RUNS (5) runs.

source "$(dirname "$0")/inspect_lib.sh"
source "$(dirname "$0")/bench_lib.sh"
sf_require taskset
GEN=$SF_TOP/selftests/bench_inspect.py
RUNS=${SF_BENCH_RUNS:-5}
MB=${SF_BENCH_MB:-16}
CONNS=${SF_BENCH_CONNS:-200}
RULES=1000
BULK_CASES="empty noop ips flow"
CONN_CASES="conn-empty conn-web"

modprobe slotfilter
sf_topo
python3 "$GEN" gen "$SF_TMP" "$RULES" "$MB" 1000
BYTES=$(stat -c %s "$SF_TMP/bulk.bin")
cat >"$SF_TMP/slotd.conf" <<END
probe-interval 100
service noop builtin:noop verdict=continue
service ips builtin:ips rules=$SF_TMP/ips.rules mode=prevent stream-depth=$((MB + 1))m inspect-depth=$((2 * MB + 2))m memcap=$((4 * MB + 64))m
service flow builtin:ips rules=$SF_TMP/ips.rules mode=prevent
service web builtin:webrep db=$SF_TMP/webrep.db
END

ip netns exec "$HV" taskset -c 0 python3 "$GEN" serve 10.9.0.1 80 \
	"$SF_TMP/bulk.bin" &
wait_listen "$HV" tcp 80
ip netns exec "$HV" taskset -c 1 "$SLOTD" -c "$SF_TMP/slotd.conf" \
	2>"$SF_TMP/slotd.log" &
wait_line "$SF_TMP/slotd.log" "ips.rules: $RULES rules loaded, 0 rejected" 2
wait_line "$SF_TMP/slotd.log" "100 URL prefixes; 0 bad lines"

# svc_stats NAME: "redirected R flow-continued F dropped D failed-closed C"
# of the kernel's service.
svc_stats()
{
	sf_ctl "$HV" -s service show "$1" | awk '
		{ for (i = 1; i < NF; i++) v[$i] = $(i + 1) }
		END { printf "redirected %d flow-continued %d dropped %d failed-closed %d",
		      v["redirected"], v["flow-continued"], v["dropped"],
		      v["failed-closed"] }'
}

# svc_up NAME: up to 30 s for slotd to bind it.
svc_up()
{
	local i

	for i in $(seq 300); do
		sf_ctl "$HV" service show "$1" | grep -q ' state up ' && return 0
		sleep 0.1
	done
	echo "# slotd did not bind $1"
	sed 's/^/#   /' "$SF_TMP/slotd.log"
	return 1
}

# setup CASE: the port, and the case's service with its redirect rules.
# $SVC: the service's name, none for none.
setup()
{
	sf_ctl "$HV" port add dev p0
	case $1 in
	empty|conn-empty) SVC= ; return 0 ;;
	conn-web) SVC=web ;;
	*)	SVC=$1 ;;
	esac
	sf_ctl "$HV" service add "$SVC" slot 4 failure-policy closed \
		timeout 10000
	sf_ctl "$HV" redirect add service "$SVC" 1 redirect dir ingress \
		proto tcp dport 80
	[ "$SVC" = web ] || sf_ctl "$HV" redirect add service "$SVC" 2 \
		redirect dir egress proto tcp sport 80
	svc_up "$SVC"
}

teardown()
{
	if [ -n "$SVC" ]; then
		sf_ctl "$HV" redirect del service "$SVC" 1
		[ "$SVC" = web ] || sf_ctl "$HV" redirect del service "$SVC" 2
		sf_ctl "$HV" service del "$SVC"
	fi
	sf_ctl "$HV" port del dev p0
}

curl_wl()
{
	ip netns exec "$WL" taskset -c 0 curl -sS "$@"
}

# bulk CASE: one transfer; appends "CASE bytes/s" to the results.
bulk()
{
	local out size secs rate stats=

	setup "$1"
	out=$(curl_wl -m 300 -o /dev/null -w '%{size_download} %{time_total}' \
		http://10.9.0.1/bulk) || true
	[ -z "$SVC" ] || stats=$(svc_stats "$SVC")
	teardown
	read -r size secs <<<"$out"
	rate=$(awk -v b="$size" -v s="$secs" 'BEGIN { printf "%.0f", s > 0 ? b / s : 0 }')
	if [ "$size" != "$BYTES" ]; then
		echo "# run $run $1: got $size of $BYTES bytes"
		rate=0
	fi
	echo "$1 $rate" >>"$SF_TMP/results"
	echo "# run $run $1: $(awk -v r="$rate" 'BEGIN { printf "%.1f", r / 1e6 }') MB/s in $secs s${stats:+; $stats}"
}

# conns CASE: CONNS requests, a connection each; appends "CASE us/conn".
conns()
{
	local t0 t1 got us stats=

	setup "$1"
	t0=$(date +%s%N)
	got=$(curl_wl -m 300 --resolve bench.example:80:10.9.0.1 \
		"http://bench.example/c[1-$CONNS]" | wc -c) || true
	t1=$(date +%s%N)
	[ -z "$SVC" ] || stats=$(svc_stats "$SVC")
	teardown
	us=$(((t1 - t0) / 1000 / CONNS))
	if [ "$got" != $((13 * CONNS)) ]; then
		echo "# run $run $1: got $got of $((13 * CONNS)) bytes"
		us=0
	fi
	echo "$1 $us" >>"$SF_TMP/results"
	echo "# run $run $1: $CONNS connections, $us us each${stats:+; $stats}"
}

# warm up (page cache, the server, curl)
run=0
bulk empty >/dev/null
: >"$SF_TMP/results"

for run in $(seq "$RUNS"); do
	for cfg in $BULK_CASES; do
		bulk $cfg
	done
	for cfg in $CONN_CASES; do
		conns $cfg
	done
done

med()
{
	awk -v c="$1" '$1 == c { print $2 }' "$SF_TMP/results" | median
}

mbs()
{
	awk -v r="$(med "$1")" 'BEGIN { printf "%.1f", r / 1e6 }'
}

echo
echo "inspection: HTTP bulk transfer of $MB MiB, MB/s (medians of $RUNS interleaved runs; load: $(cut -d' ' -f1-3 /proc/loadavg))"
for cfg in $BULK_CASES; do
	printf '%-6s %10s\n' $cfg "$(mbs $cfg)"
done
echo "(empty: attached port, no service; noop: slotd builtin:noop continue,"
echo " both directions; ips: builtin:ips, $RULES content rules, prevent,"
echo " every byte inspected; flow: the same, default inspect-depth 64k,"
echo " then continue-flow)"
echo "inspection: new HTTP connections, us a connection (medians of $RUNS runs of $CONNS)"
for cfg in $CONN_CASES; do
	printf '%-10s %8s\n' $cfg "$(med $cfg)"
done
echo "(conn-web: builtin:webrep, 1,000 database entries, requests redirected)"
echo "bench: ips-1000-rules/noop = $(ratio "$(med ips)" "$(med noop)") (goal 0.8)"
echo "bench: ips-continue-flow/empty-slot = $(ratio "$(med flow)" "$(med empty)") (goal 0.95)"
echo "bench: noop/empty-slot = $(ratio "$(med noop)" "$(med empty)")"
echo "bench: webrep us/connection = $(($(med conn-web) - $(med conn-empty))) (over $(med conn-empty) us without)"
