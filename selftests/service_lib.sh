# SPDX-License-Identifier: GPL-2.0
#
# Helpers of the service tests (service_*.sh), on top of lib.sh: services
# are configured and served by svc_helper (the test suite's stand-in for
# slotd), traffic comes from svc_traffic.py. Everything runs in $HV, the
# host namespace of lib.sh's standard topology, or in $SVC_NS if set.

source "$(dirname "$0")/lib.sh"

SVC=$SF_TOP/selftests/svc_helper
TRAFFIC=$SF_TOP/selftests/svc_traffic.py
declare -A SVC_PID

[ -x "$SVC" ] || sf_skip "svc_helper is not built"

# svc ARGS...: svc_helper in $HV.
svc()
{
	ip netns exec "${SVC_NS:-$HV}" "$SVC" "$@"
}

# svc_serve NAME TAG ARGS...: a helper bound to NAME in the background,
# recording what it sees in $SF_TMP/TAG.seen (its errors in TAG.err);
# bound when this returns.
svc_serve()
{
	local name=$1 tag=$2 i

	shift 2
	rm -f "$SF_TMP/$tag.ready"
	: >"$SF_TMP/$tag.seen"
	ip netns exec "${SVC_NS:-$HV}" "$SVC" serve "$name" -r "$SF_TMP/$tag.ready" \
		-o "$SF_TMP/$tag.seen" "$@" 2>"$SF_TMP/$tag.err" &
	SVC_PID[$tag]=$!
	for i in $(seq 600); do
		[ -e "$SF_TMP/$tag.ready" ] && return 0
		kill -0 "${SVC_PID[$tag]}" 2>/dev/null || break
		sleep 0.05
	done
	if kill -0 "${SVC_PID[$tag]}" 2>/dev/null; then
		echo "# helper $tag did not bind in 30 s"
	else
		echo "# helper $tag did not bind: $(head -n 3 "$SF_TMP/$tag.err" | xargs)"
	fi
	return 1
}

# svc_stop TAG: kills the helper (its socket closes).
svc_stop()
{
	kill "${SVC_PID[$1]}" 2>/dev/null || true
	wait "${SVC_PID[$1]}" 2>/dev/null || true
}

# svc_stat NAME KEY: one field or counter of the service.
svc_stat()
{
	svc show "$1" | awk -v k="$2" '$1 == k { print $2 }'
}

# svc_seen TAG: how many packets the helper saw.
svc_seen()
{
	wc -l <"$SF_TMP/$1.seen"
}

# svc_mark TAG: remember how much the helper has recorded so far;
# svc_since TAG: what it recorded after the mark.
declare -A SVC_MARK
svc_mark()
{
	SVC_MARK[$1]=$(svc_seen "$1")
}

svc_since()
{
	tail -n +$((SVC_MARK[$1] + 1)) "$SF_TMP/$1.seen"
}

# svc_settle NAME TAG: waits (30 s at most) until every packet the service
# sent was seen by the helper and answered.
svc_settle()
{
	local i r

	for i in $(seq 600); do
		r=$(svc_stat "$1" redirected)
		[ "$r" = "$(svc_seen "$2")" ] &&
			[ "$(svc_stat "$1" held)" = 0 ] && return 0
		sleep 0.05
	done
	return 0
}

# svc_wait NAME KEY VALUE: waits (30 s at most) until the counter reaches
# VALUE; the check that follows says whether it did.
svc_wait()
{
	local i

	for i in $(seq 600); do
		[ "$(svc_stat "$1" "$2")" = "$3" ] && return 0
		sleep 0.05
	done
	return 0
}

# traffic NS ARGS...: svc_traffic.py in NS.
traffic()
{
	local ns=$1

	shift
	ip netns exec "$ns" python3 "$TRAFFIC" "$@"
}
