# SPDX-License-Identifier: GPL-2.0
#
# Helpers of the inspection tests (inspect_*.sh), on top of lib.sh: slotd's
# built-in kinds ips and webrep on the real kernel, with real servers in
# $HV (python3 -m http.server, openssl s_server, a DNS responder) and real
# clients in $WL (curl, inspect_net.py). Files go to $SF_TMP.

source "$(dirname "$0")/lib.sh"
sf_require python3 curl ss
SLOTD=${SLOTD:-$SF_TOP/tools/slotd/slotd}
NET=$SF_TOP/selftests/inspect_net.py
[ -x "$SLOTD" ] || sf_skip "slotd is not built"
# What the clients wait for an answer that will not come.
INSP_WAIT=3

# wait_listen NS PROTO PORT: up to 30 s for a socket listening there.
wait_listen()
{
	local i opt=-Hltn

	[ "$2" = udp ] && opt=-Hlun
	for i in $(seq 300); do
		[ -n "$(ip netns exec "$1" ss $opt "sport = :$3")" ] && return 0
		sleep 0.1
	done
	echo "# nothing listens on $2 port $3 in $1"
	return 1
}

# insp_http NS ADDR PORT: python3 -m http.server on ADDR:PORT serving
# $SF_TMP/www, whose index.html is "hello from slotfilter"; its log of
# requests in $SF_TMP/http.log.
insp_http()
{
	mkdir -p "$SF_TMP/www"
	echo "hello from slotfilter" >"$SF_TMP/www/index.html"
	ip netns exec "$1" python3 -m http.server --bind "$2" \
		--directory "$SF_TMP/www" "$3" >/dev/null 2>"$SF_TMP/http.log" &
	wait_listen "$1" tcp "$3"
}

# insp_https NS ADDR PORT: openssl s_server -www on ADDR:PORT with a
# self-signed certificate made here (EC P-256: fast under emulation).
insp_https()
{
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
		-nodes -subj /CN=slotfilter.test -days 1 \
		-keyout "$SF_TMP/tls.key" -out "$SF_TMP/tls.crt" 2>/dev/null
	ip netns exec "$1" openssl s_server -accept "$2:$3" -www -quiet \
		-cert "$SF_TMP/tls.crt" -key "$SF_TMP/tls.key" \
		</dev/null >/dev/null 2>"$SF_TMP/tls.log" &
	wait_listen "$1" tcp "$3"
}

# insp_dns NS ADDR: the DNS responder of inspect_net.py on ADDR:53.
insp_dns()
{
	ip netns exec "$1" python3 "$NET" dns-serve "$2" 53 >/dev/null &
	wait_listen "$1" udp 53
}

# insp_slotd SERVICE...: slotd in $HV with $SF_TMP/slotd.conf, its log in
# $SF_TMP/slotd.log; returns when each SERVICE is up. $slotd: its pid.
insp_slotd()
{
	local s

	ip netns exec "$HV" "$SLOTD" -c "$SF_TMP/slotd.conf" \
		2>"$SF_TMP/slotd.log" &
	slotd=$!
	for s in "$@"; do
		sf_wait_line "$SF_TMP/slotd.log" "service $s: up" || return 1
	done
}

# insp_slotd_stop: SIGTERM to slotd, which exits 0.
insp_slotd_stop()
{
	local rc=0

	kill -TERM "$slotd"
	wait "$slotd" || rc=$?
	[ $rc = 0 ] || echo "# slotd exited $rc"
	return $rc
}

# insp_stat NAME KEY...: fields of `slotctl -j service show NAME` (a
# counter by its name), on one line.
insp_stat()
{
	sf_ctl "$HV" -j service show "$1" | jq -r '.[0] as $s | $ARGS.positional |
		map(. as $k | if $s.counters | has($k) then $s.counters[$k] else $s[$k] end |
			tostring) |
		join(" ")' --args "${@:2}"
}

# insp_curl ARGS...: curl in $WL; prints its exit status, the HTTP status
# and the body's first line: "0 200 hello from slotfilter", "56 000 ".
insp_curl()
{
	local rc=0 out

	out=$(ip netns exec "$WL" curl -sS -m "$INSP_WAIT" -o "$SF_TMP/body" \
		-w '%{http_code}' "$@" 2>"$SF_TMP/curl.err") || rc=$?
	echo "$rc $out $(head -n 1 "$SF_TMP/body" 2>/dev/null)"
	rm -f "$SF_TMP/body"
}

# insp_split SPORT PART1 PART2: inspect_net.py split from $WL, source port
# SPORT, to 10.9.0.1:80.
insp_split()
{
	SF_PROBE_TIMEOUT=$INSP_WAIT SF_SRC_PORT=$1 ip netns exec "$WL" \
		python3 "$NET" split 10.9.0.1 80 "$2" "$3"
}

# insp_json FILE KEY...: each line of FILE as JSON (a line that is not
# fails), one output line per line: the values of KEY (a.b for nested
# members; "-" where a line has none; @keys: the names of every member,
# nested ones as a.b, in order) separated by tabs.
insp_json()
{
	python3 -c '
import json, sys
def keys(o, pre=""):
    out = []
    for k, v in o.items():
        out.append(pre + k)
        if isinstance(v, dict):
            out += keys(v, pre + k + ".")
    return out
for n, line in enumerate(open(sys.argv[1]), 1):
    try:
        o = json.loads(line)
    except ValueError as e:
        sys.exit("line %d is not JSON: %s" % (n, e))
    vals = []
    for k in sys.argv[2:]:
        v = o
        for p in k.split("."):
            v = v.get(p, "-") if isinstance(v, dict) else "-"
        if k == "@keys":
            v = " ".join(keys(o))
        vals.append("null" if v is None else str(v))
    print("\t".join(vals))
' "$@"
}

# insp_json_to OUT FILE KEY...: insp_json FILE KEY... into OUT.
insp_json_to()
{
	local out=$1

	shift
	insp_json "$@" >"$out"
}

# cols FILE N...: tab-separated columns N... of FILE, space-separated.
cols()
{
	local f=$1

	shift
	cut -f "$(IFS=,; echo "$*")" "$f" | tr '\t' ' '
}

# insp_dig SPORT NAME: inspect_net.py dns from $WL, source port SPORT, to
# 10.9.0.1:53.
insp_dig()
{
	SF_PROBE_TIMEOUT=$INSP_WAIT SF_SRC_PORT=$1 ip netns exec "$WL" \
		python3 "$NET" dns 10.9.0.1 53 "$2"
}
