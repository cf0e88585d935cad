#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The inspection services' cost on real HTTP in the VM (run by `make
# bench`), in the same boot as the other benchmarks.
#
# Bulk: curl in $WL fetches a file of SF_BENCH_MB (32) MiB (HTML-like
# text) from a sendfile(2) server on p0's side, port 80, again and again
# for about SF_BENCH_SECONDS (2), a new connection each time; bytes per
# second of the transfers (curl's time_total). empty and flow fetch it 4
# times over on each connection (128 MiB, of which flow's first 64 KiB go
# through slotd), so that the connection's setup and inspected head do
# not weigh more than in a real bulk transfer. Four cases, interleaved:
#
#   empty   p0 attached, no service: the baseline
#   noop    the service at slot 4 (failure-policy closed), redirect rules
#           taking TCP to port 80 (ingress) and from port 80 (egress),
#           slotd's builtin:noop verdict=continue: every packet of the
#           transfer goes to slotd and back
#   ips     the same with builtin:ips, 1,000 content rules
#           (bench_inspect.py), prevent mode, stream-depth and
#           inspect-depth above the transfer's size: every byte is
#           reassembled and scanned, no continue-flow (checked first: a
#           drop rule's content after the file's bytes cuts the transfer)
#   flow    builtin:ips with the same rules and the default inspect-depth
#           (64k): after the first 64 KiB the flow gets continue-flow and
#           the rest stays in the kernel
#
# Connections: one curl makes SF_BENCH_CONNS (200) HTTP requests to
# bench.example, a new connection each (the server closes), through p0
# with no service (`conn-empty`) and with builtin:webrep at slot 4
# (`conn-web`; database of 1,000 entries listing bench.example, 90 news;
# ingress TCP to port 80 redirected: SYN, ACK and the request go to
# slotd, then continue-flow); the median time of a connection (curl's
# time_total: connect, request, answer) and what the service adds to it.
#
#     netns $WL                     netns $HV
#     w0 10.9.0.2 <----veth----> p0 10.9.0.1 (port; slot 4: the service)
#     curl (CPU 0)                   bench_inspect.py serve :80 (CPU 0)
#                                    slotd (CPU 1)
#
# Each case adds its kernel service and starts slotd with that service
# alone; at its end, it stops slotd and deletes the service. Each figure
# is the median of SF_BENCH_RUNS (5) runs.

source "$(dirname "$0")/inspect_lib.sh"
source "$(dirname "$0")/bench_lib.sh"
sf_require taskset
GEN=$SF_TOP/selftests/bench_inspect.py
RUNS=${SF_BENCH_RUNS:-5}
SECONDS_PER_RUN=${SF_BENCH_SECONDS:-2}
MB=${SF_BENCH_MB:-32}
CONNS=${SF_BENCH_CONNS:-200}
RULES=1000
BULK_CASES="empty noop ips flow"
CONN_CASES="conn-empty conn-web"

modprobe slotfilter
sf_topo
python3 "$GEN" gen "$SF_TMP" "$RULES" "$MB" 1000
BYTES=$(stat -c %s "$SF_TMP/bulk.bin")

# svc_line NAME: slotd's service line of each case's service.
svc_line()
{
	case $1 in
	noop)	echo "service noop builtin:noop verdict=continue" ;;
	ips)	echo "service ips builtin:ips rules=$SF_TMP/ips.rules" \
			"mode=prevent stream-depth=$((MB + 1))m" \
			"inspect-depth=$((2 * MB + 2))m memcap=$((4 * MB + 64))m" ;;
	flow)	echo "service flow builtin:ips rules=$SF_TMP/ips.rules mode=prevent" ;;
	web)	echo "service web builtin:webrep db=$SF_TMP/webrep.db" ;;
	esac
}

ip netns exec "$HV" taskset -c 0 python3 "$GEN" serve 10.9.0.1 80 \
	"$SF_TMP/bulk.bin" &
wait_listen "$HV" tcp 80

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

# slotd_start NAME: slotd in $HV on CPU 1 with the service NAME alone;
# returns when it is bound to the kernel's service.
slotd_start()
{
	printf 'probe-interval 100\n%s\n' "$(svc_line "$1")" >"$SF_TMP/slotd.conf"
	ip netns exec "$HV" taskset -c 1 "$SLOTD" -c "$SF_TMP/slotd.conf" \
		2>"$SF_TMP/slotd.log" &
	slotd=$!
	sf_wait_line "$SF_TMP/slotd.log" "service $1: bound"
	case $1 in
	ips|flow) loaded="$RULES rules loaded, 0 rejected" ;;
	web)	loaded="100 URL prefixes; 0 bad lines" ;;
	*)	return 0 ;;
	esac
	grep -qF "$loaded" "$SF_TMP/slotd.log" && return 0
	echo "# service $1 did not load everything:"
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
	slotd_start "$SVC"
}

teardown()
{
	if [ -n "$SVC" ]; then
		insp_slotd_stop
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

# bulk CASE: transfers of the file for about SECONDS_PER_RUN of their
# own time: one, then (if it took less) as many more as fill the rest, by
# one curl, each on a new connection; appends "CASE bytes/s" (bytes over
# the transfers' curl time_total) to the results.
bulk()
{
	local t k n rate stats= url=bulk want=$BYTES

	# the fast cases fetch the file 4 times over a connection
	case $1 in
	empty|flow) url=bulk4 want=$((4 * BYTES)) ;;
	esac
	setup "$1"
	curl_wl -m 300 -o /dev/null -w '%{size_download} %{time_total}\n' \
		"http://10.9.0.1/$url" >"$SF_TMP/bulk.t" || true
	t=$(awk '{ print $2 }' "$SF_TMP/bulk.t")
	k=$(awk -v s="$SECONDS_PER_RUN" -v t="${t:-0}" 'BEGIN {
		k = t > 0 ? int((s - t) / t + 0.999) : 0; print (k > 20 ? 20 : k) }')
	[ "$k" -le 0 ] || curl_wl -m 300 "http://10.9.0.1/$url?[1-$k]" \
		-w '%{stderr}%{size_download} %{time_total}\n' \
		2>>"$SF_TMP/bulk.t" >/dev/null || true
	[ -z "$SVC" ] || stats=$(svc_stats "$SVC")
	teardown
	read -r rate t n < <(awk -v want="$want" '
		$1 != want { bad++ } { b += $1; s += $2; n++ }
		END { printf "%.0f %.3f %d\n", (s > 0 && !bad ? b / s : 0), s, n }' \
		"$SF_TMP/bulk.t")
	[ "$rate" != 0 ] || sed 's/^/# short: /' "$SF_TMP/bulk.t"
	echo "$1 $rate" >>"$SF_TMP/results"
	rate=$(awk -v r="$rate" 'BEGIN { printf "%.1f", r / 1e6 }')
	echo "# run $run $1: $rate MB/s, $n transfers in $t s${stats:+; $stats}"
}

# conns CASE: CONNS requests, a new connection each (the server closes);
# appends "CASE-us T" per connection (curl's time_total, us) to the
# results: the median is taken over every connection of every run.
conns()
{
	local got us stats=

	setup "$1"
	got=$(curl_wl -m 300 --resolve bench.example:80:10.9.0.1 \
		-w '%{stderr}%{time_total}\n' "http://bench.example/c[1-$CONNS]" \
		2>"$SF_TMP/conn.t" | wc -c) || true
	[ -z "$SVC" ] || stats=$(svc_stats "$SVC")
	teardown
	if [ "$got" != $((13 * CONNS)) ]; then
		echo "# run $run $1: got $got of $((13 * CONNS)) bytes"
		grep -v '^[0-9.]*$' "$SF_TMP/conn.t" | sed 's/^/#   /' || true
	fi
	awk -v c="$1-us" '/^[0-9.]+$/ { printf "%s %.0f\n", c, $1 * 1e6 }' \
		"$SF_TMP/conn.t" >>"$SF_TMP/results"
	us=$(awk '/^[0-9.]+$/ { printf "%.0f\n", $1 * 1e6 }' "$SF_TMP/conn.t" |
		median)
	echo "# run $run $1: $CONNS connections, median $us us${stats:+; $stats}"
}

# ips inspects every byte: a drop rule's content after the file's bytes
# cuts the transfer (curl gives up after 3 s without bytes)
run=0
setup ips
got=$(curl_wl -m 120 --speed-time 3 --speed-limit 1000 -o /dev/null \
	-w '%{size_download}' http://10.9.0.1/tail 2>/dev/null) || true
stats=$(svc_stats ips)
teardown
if [ "${got:-0}" -ge $((BYTES + $(stat -c %s "$SF_TMP/bulk.bin.tail"))) ] ||
	[ "${stats#*dropped 0 }" != "$stats" ]; then
	echo "# ips let a drop rule's content through after $BYTES bytes" \
		"($got bytes came; $stats): it does not inspect every byte"
	exit 1
fi
echo "# ips: a drop rule's content after $BYTES bytes cut the transfer" \
	"($got bytes came; $stats)"

# warm up (page cache, the server, curl)
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
echo "inspection: HTTP bulk transfers of $MB MiB (empty, flow: $((4 * MB)) MiB), MB/s (medians of $RUNS interleaved runs of ${SECONDS_PER_RUN} s)"
for cfg in $BULK_CASES; do
	printf '%-6s %10s\n' $cfg "$(mbs $cfg)"
done
echo "(empty: attached port, no service; noop: slotd builtin:noop continue,"
echo " both directions; ips: builtin:ips, $RULES content rules, prevent,"
echo " every byte inspected; flow: the same, default inspect-depth 64k,"
echo " then continue-flow)"
echo "inspection: new HTTP connections, us a connection (median of $RUNS runs of $CONNS, curl's time_total)"
for cfg in $CONN_CASES; do
	printf '%-10s %8s\n' $cfg "$(med $cfg-us)"
done
echo "(conn-web: builtin:webrep, 1,000 database entries, requests redirected)"
echo "bench: ips-1000-rules/noop = $(ratio "$(med ips)" "$(med noop)") (goal 0.8)"
echo "bench: ips-continue-flow/empty-slot = $(ratio "$(med flow)" "$(med empty)") (goal 0.95)"
echo "bench: noop/empty-slot = $(ratio "$(med noop)" "$(med empty)")"
echo "bench: webrep us/connection = $(($(med conn-web-us) - $(med conn-empty-us))) (over $(med conn-empty-us) us without)"
