#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Service events and alerts as `slotctl -j monitor` sees them: every
# change of a service's state (added, bound, failing and up again with the
# helper's reason, helper gone with the packets it held, moved, deleted
# with packets held) arrives once, in order, with its fields; a HEALTH that
# repeats the state sends nothing. Alerts from the bound helper arrive as
# they were sent; an alert from any other socket is refused (EPERM), an
# empty or too long one too (EINVAL). slotd's built-in hang kind with
# health=failing sends its reason through the kernel. An unprivileged
# listener sees the same events and cannot send alerts.
#
#     netns $WL             netns $HV
#     w0 10.9.0.2 <-veth-> p0 10.9.0.1 (port), UDP echo :5001
#                           service ev at slot 4 (then 8), sd at slot 5
#                           svc_helper / slotd bound to them
#                           slotctl -j monitor (root), and as nobody

source "$(dirname "$0")/service_lib.sh"
sf_require python3
sf_require setpriv
SLOTD=${SLOTD:-$SF_TOP/tools/slotd/slotd}
[ -x "$SLOTD" ] || sf_skip "slotd is not built"
sf_topo
sf_ctl "$HV" port add dev p0
sf_serve "$HV" udp 0.0.0.0 5001

NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups
	--inh-caps=-all --bounding-set=-all)

# sync NAME: a service added and deleted at slot 11; both monitors have
# seen its deletion when this returns.
sync_monitors()
{
	svc add "$1" 11 >/dev/null
	svc del "$1"
	sf_wait_line "$SF_TMP/mon" "\"service\":\"$1\",\"slot\":11,\"previous\":\"no-helper\",\"state\":\"no-helper\",\"cause\":\"deleted\"" &&
		sf_wait_line "$SF_TMP/mon.nobody" "\"service\":\"$1\",\"slot\":11,\"previous\":\"no-helper\",\"state\":\"no-helper\",\"cause\":\"deleted\""
}

# events FILE: what the monitor printed between the two syncs.
events()
{
	sed -n '/"service":"sync1"/,/"service":"sync2"/p' "$1" |
		grep -v '"service":"sync[12]"'
}

# ev SERVICE SLOT PREVIOUS STATE CAUSE REASON RELEASED PREVIOUS-SLOT: the
# JSON line of a service event (REASON a JSON value: null or "...").
ev()
{
	printf '{"event":"service","service":"%s","slot":%s,"previous":"%s","state":"%s","cause":"%s","reason":%s,"released":%s,"previous-slot":%s}\n' "$@"
}

ip netns exec "$HV" "$SLOTCTL" -j monitor >"$SF_TMP/mon" 2>"$SF_TMP/mon.err" &
mon=$!
ip netns exec "$HV" "${NOBODY[@]}" "$SLOTCTL" -j monitor \
	>"$SF_TMP/mon.nobody" 2>"$SF_TMP/mon.nobody.err" &
mon_nobody=$!
for i in $(seq 50); do
	svc add sync1 11 >/dev/null
	svc del sync1
	grep -q '"service":"sync1"' "$SF_TMP/mon" &&
		grep -q '"service":"sync1"' "$SF_TMP/mon.nobody" && break
	sleep 0.1
done
check "both monitors listen" sync_monitors sync1

# 1. A helper binds, says failing (twice), up (twice), sends alerts.
svc add ev 4 policy open timeout 60000
svc commit redirect ev 1 redirect dir in proto 17 dport 5001
big=$(head -c 4096 /dev/zero | tr '\0' x)
svc_serve ev h1 -v hang -h "failing:probe timeout" -h "failing:still" \
	-h up -h up -a '{ "sig": 2001,
	"msg": "ET x" }' -a '' -a "$big" -a 'not json' -a "${big:1}"
check_eq "alerts from the bound helper: accepted or refused" \
	"$(cat "$SF_TMP/h1.err")" \
	"$(printf '%s\n' 'alert: ok' \
		'alert: Invalid argument: an empty alert' \
		'alert: Invalid argument: Attribute failed policy validation' \
		'alert: ok' 'alert: ok')"
check_fails "an alert from an unbound socket" 1 \
	"alert: Operation not permitted: slotfilter: this socket is not bound to the service (SLOTFILTER_CMD_SERVICE_BIND)" \
	svc alert ev '{"sig":1}'
check_fails "an alert from an unprivileged socket" 1 \
	"alert: Operation not permitted" \
	ip netns exec "$HV" "${NOBODY[@]}" "$SVC" alert ev '{"sig":1}'
check_fails "a reason too long" 1 \
	"health: Invalid argument: Attribute failed policy validation" \
	svc health ev "failing:$(head -c 128 /dev/zero | tr '\0' r)"

# 2. The helper dies with 3 packets held: released under policy open. The
# echoes may take long on a loaded debug kernel: each `svc show` is slow.
SF_PROBE_TIMEOUT=60 traffic "$WL" burst 10.9.0.1 5001 3 >"$SF_TMP/burst" &
burst=$!
svc_wait ev held 3
check_eq "3 held" "$(svc_stat ev held)" 3
svc_stop h1
wait $burst
check_eq "helper gone: 3 echoes (policy open)" "$(cat "$SF_TMP/burst")" 3
check_eq "helper gone: counted, nothing held" \
	"$(svc_stat ev helper_gone) $(svc_stat ev held)" "3 0"

# 3. Moved, with no helper; then a helper, 2 packets held, deleted.
svc set ev slot 8
check_fails "an alert with no helper bound" 1 \
	"alert: Operation not permitted: slotfilter: this socket is not bound to the service (SLOTFILTER_CMD_SERVICE_BIND)" \
	svc alert ev '{}'
svc_serve ev h2 -v hang
# Released under policy open, they would echo at once (when svc del runs).
SF_PROBE_TIMEOUT=5 traffic "$WL" burst 10.9.0.1 5001 2 >"$SF_TMP/burst" &
burst=$!
svc_wait ev held 2
check_eq "2 held" "$(svc_stat ev held)" 2
svc commit
svc del ev
wait $burst
check_eq "deleted: the held packets dropped" "$(cat "$SF_TMP/burst")" 0
svc_stop h2

# 4. slotd's built-in hang kind, configured failing, then SIGTERM.
svc add sd 5
printf 'probe-interval 100\nservice sd builtin:hang health=failing\n' \
	>"$SF_TMP/slotd.conf"
ip netns exec "$HV" "$SLOTD" -c "$SF_TMP/slotd.conf" 2>"$SF_TMP/slotd.log" &
slotd=$!
check "slotd: sd failing" sf_wait_line "$SF_TMP/mon" '"service":"sd","slot":5,"previous":"up","state":"failing"'
kill -TERM "$slotd"
wait "$slotd" || true
check_eq "slotd: sd has no helper" "$(svc_stat sd state) $(svc_stat sd held)" \
	"no-helper 0"
svc del sd

check "both monitors saw it all" sync_monitors sync2
kill "$mon" "$mon_nobody"
wait "$mon" "$mon_nobody" 2>/dev/null || true

want=$(
	ev ev 4 no-helper no-helper added null null null
	ev ev 4 no-helper up bound null null null
	ev ev 4 up failing health '"probe timeout"' null null
	ev ev 4 failing up health null null null
	printf '%s\n' '{"event":"alert","service":"ev","slot":4,"alert":{"sig":2001,"msg":"ET x"},"suppressed":0}'
	printf '%s\n' '{"event":"alert","service":"ev","slot":4,"alert":"not json","suppressed":0}'
	printf '{"event":"alert","service":"ev","slot":4,"alert":"%s","suppressed":0}\n' "${big:1}"
	ev ev 4 up no-helper helper-gone null 3 null
	ev ev 8 no-helper no-helper moved null null 4
	ev ev 8 no-helper up bound null null null
	ev ev 8 up no-helper deleted null 2 null
	ev sd 5 no-helper no-helper added null null null
	ev sd 5 no-helper up bound null null null
	ev sd 5 up failing health '"configured with health=failing"' null null
	ev sd 5 failing no-helper helper-gone null 0 null
	ev sd 5 no-helper no-helper deleted null 0 null
)
got=$(events "$SF_TMP/mon")
check_eq "the events, in order, each once" "$got" "$want"
[ "$got" = "$want" ] || diff <(echo "$want") <(echo "$got") | sed 's/^/# /'
check_eq "an unprivileged listener sees the same" \
	"$(events "$SF_TMP/mon.nobody")" "$want"
check_eq "no warnings from the monitors" \
	"$(cat "$SF_TMP/mon.err" "$SF_TMP/mon.nobody.err")" ""
sf_done
