#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# slotd's built-in kind ips on the real kernel, with a real web server and
# real clients. Service ips at slot 4 gets TCP to and from port 80 on p0
# (redirect rules 1 and 2); its rules: drop "EVILSIG" to the server,
# reject "reject-me" (any case), alert on the server's page.
#
# Prevent mode: a clean GET gets the page (and the page's alert, egress);
# EVILSIG in the URL gets nothing (curl times out: the flow is dropped);
# Reject-Me in a header gets a reset; EVILSIG split over two segments is
# caught. Then, reloaded (SIGHUP) in detect mode: the same requests get the
# page, alerted as allowed. The server's log shows which requests reached
# it, the EVE file holds one JSON line per alert with the exact fields,
# `slotctl monitor` got the same lines as alerts, and the kernel's
# counters of the service add up.
#
#     netns $WL                     netns $HV
#     w0 10.9.0.2 <----veth----> p0 10.9.0.1 (port; slot 4: ips)
#     curl, inspect_net.py split     python3 -m http.server :80
#                                    slotd (builtin:ips), slotctl monitor

source "$(dirname "$0")/inspect_lib.sh"
sf_topo

cat >"$SF_TMP/ips.rules" <<'END'
# inspect_ips.sh
drop tcp any any -> $HOME_NET $HTTP_PORTS (msg:"TEST evil signature"; \
	flow:to_server,established; content:"EVILSIG"; \
	classtype:web-application-attack; sid:1000001; rev:2;)
reject tcp any any -> any 80 (msg:"TEST reject me"; content:"reject|2d|me"; nocase; \
	classtype:attempted-admin; sid:1000002; rev:1;)
alert tcp any 80 -> any any (msg:"TEST page served"; flow:to_client; \
	content:"hello from"; classtype:misc-activity; sid:1000003; rev:1;)
END
conf()
{
	cat >"$SF_TMP/slotd.conf" <<-END
	probe-interval 200
	service ips builtin:ips rules=$SF_TMP/ips.rules mode=$1 eve=$SF_TMP/eve.json
	END
}

insp_http "$HV" 10.9.0.1 80
sf_ctl "$HV" port add dev p0
sf_ctl "$HV" -j monitor >"$SF_TMP/mon" 2>"$SF_TMP/mon.err" &
mon=$!
for i in $(seq 50); do
	sf_ctl "$HV" service add sync slot 11
	sf_ctl "$HV" service del sync
	grep -q '"service":"sync"' "$SF_TMP/mon" && break
	sleep 0.1
done
check "slotctl monitor listens" grep -q '"service":"sync"' "$SF_TMP/mon"
sf_ctl "$HV" service add ips slot 4
sf_ctl "$HV" redirect add service ips 1 redirect proto tcp dport 80
sf_ctl "$HV" redirect add service ips 2 redirect proto tcp sport 80

conf prevent
check "slotd: ips up (prevent)" insp_slotd ips
check "the rules load" grep -qxF \
	"slotd: service ips: $SF_TMP/ips.rules: 3 rules loaded, 0 rejected" \
	"$SF_TMP/slotd.log"

# prevent
page="0 200 hello from slotfilter"
check_eq "prevent: a clean GET gets the page" \
	"$(insp_curl --local-port 40001 http://10.9.0.1/)" "$page"
check_eq "prevent: EVILSIG in the URL: dropped, curl times out (28)" \
	"$(insp_curl --local-port 40002 'http://10.9.0.1/?q=EVILSIG')" "28 000 "
check_eq "prevent: Reject-Me in a header: reset (56)" \
	"$(insp_curl --local-port 40003 -H 'X-Probe: Reject-Me' http://10.9.0.1/)" \
	"56 000 "
check "prevent: curl says it was reset" \
	grep -qF "Connection reset by peer" "$SF_TMP/curl.err"
check_eq "prevent: EVI|LSIG in two segments: dropped" \
	"$(insp_split 40004 'GET /?q=EVI' 'LSIG HTTP/1.0\r\n\r\n')" timeout
read -r drop held fopen tout red cont fdrop < <(insp_stat ips dropped held \
	failed-open timed-out redirected continued flow-dropped)
check_eq "prevent: kernel: 3 flows dropped, none held, failed or timed out" \
	"$drop $held $fopen $tout" "3 0 0 0"
check_eq "prevent: kernel: every other redirected packet continued" \
	"$red" "$((cont + 3))"
check "prevent: retransmissions of the dropped flows stay in the kernel ($fdrop)" \
	test "$fdrop" -ge 1

# detect: the same rules, alerts only
conf detect
kill -HUP "$slotd"
check "reloaded (detect)" sf_wait_line "$SF_TMP/slotd.log" "3 rules loaded, 0 rejected" 2
check_eq "detect: EVILSIG in the URL gets the page" \
	"$(insp_curl --local-port 40005 'http://10.9.0.1/?q=EVILSIG')" "$page"
check_eq "detect: EVI|LSIG in two segments gets the page" \
	"$(insp_split 40006 'GET /?q=EVI' 'LSIG HTTP/1.0\r\n\r\n')" \
	"HTTP/1.0 200 OK"
check_eq "detect: kernel: no more drops" "$(insp_stat ips dropped held)" "3 0"

check_eq "the requests that reached the server" \
	"$(sed -n 's/.*"\(GET [^"]*\)".*/\1/p' "$SF_TMP/http.log")" \
	"$(printf '%s\n' 'GET / HTTP/1.1' 'GET /?q=EVILSIG HTTP/1.1' \
		'GET /?q=EVILSIG HTTP/1.0')"

# the EVE file
check "EVE: 8 lines" sf_wait_line "$SF_TMP/eve.json" '"event_type":"alert"' 8
check "EVE: each line is JSON" insp_json_to "$SF_TMP/eve" \
	"$SF_TMP/eve.json" alert.signature_id alert.action src_ip src_port \
	dest_ip dest_port proto slotfilter.port slotfilter.direction slotfilter.slot \
	slotfilter.service event_type alert.gid alert.rev alert.severity \
	alert.signature alert.category timestamp flow_id @keys
want=$(cat <<-END
	1000003 allowed 10.9.0.1 80 10.9.0.2 40001 TCP p0 egress 4 ips
	1000001 blocked 10.9.0.2 40002 10.9.0.1 80 TCP p0 ingress 4 ips
	1000002 blocked 10.9.0.2 40003 10.9.0.1 80 TCP p0 ingress 4 ips
	1000001 blocked 10.9.0.2 40004 10.9.0.1 80 TCP p0 ingress 4 ips
	1000001 allowed 10.9.0.2 40005 10.9.0.1 80 TCP p0 ingress 4 ips
	1000003 allowed 10.9.0.1 80 10.9.0.2 40005 TCP p0 egress 4 ips
	1000001 allowed 10.9.0.2 40006 10.9.0.1 80 TCP p0 ingress 4 ips
	1000003 allowed 10.9.0.1 80 10.9.0.2 40006 TCP p0 egress 4 ips
	END
)
got=$(cols "$SF_TMP/eve" 1-11)
check_eq "EVE: sid, action, ends, proto, port, direction, slot, service" \
	"$got" "$want"
[ "$got" = "$want" ] || diff <(echo "$want") <(echo "$got") | sed 's/^/# /'
check_eq "EVE: the members, in order" "$(cut -f 20 "$SF_TMP/eve" | sort -u)" \
	"timestamp flow_id event_type src_ip src_port dest_ip dest_port proto alert alert.action alert.gid alert.signature_id alert.rev alert.signature alert.category alert.severity slotfilter slotfilter.port slotfilter.direction slotfilter.slot slotfilter.service"
check_eq "EVE: the rules' words" "$(cols "$SF_TMP/eve" 1,12-17 | sort -u)" \
	"$(printf '%s\n' \
		'1000001 alert 1 2 1 TEST evil signature Web Application Attack' \
		'1000002 alert 1 1 1 TEST reject me Attempted Administrator Privilege Gain' \
		'1000003 alert 1 1 3 TEST page served Misc activity')"
check_eq "EVE: timestamps in UTC, microseconds" "$(cut -f 18 "$SF_TMP/eve" |
	grep -cE '^20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9]\.[0-9]{6}\+0000$')" 8
# A flow's alerts carry its flow id, both ways; each connection its own.
check_eq "EVE: flow ids: one per connection (6), the same both ways" \
	"$(cols "$SF_TMP/eve" 4,6,19 | awk '
		{ c = $1 == 80 ? $2 : $1; if (!(c in id)) { id[c] = $3; n++ }
		  if (id[c] != $3 || $3 == 0) bad++; seen[$3]++ }
		END { for (f in seen) ids++; print n, ids, bad + 0 }')" "6 6 0"

# slotctl monitor: the same lines, as the service's alerts
check "monitor: 8 alerts" sf_wait_line "$SF_TMP/mon" '"event":"alert"' 8
check_eq "monitor: the alerts are the EVE lines" "$(python3 -c '
import json, sys
eve = [json.loads(l) for l in open(sys.argv[1])]
mon = [json.loads(l) for l in open(sys.argv[2])]
mon = [(m["service"], m["slot"], m["suppressed"], m["alert"])
       for m in mon if m.get("event") == "alert"]
print("same" if mon == [("ips", 4, 0, e) for e in eve] else mon)
' "$SF_TMP/eve.json" "$SF_TMP/mon")" same

check "slotd exits 0 on SIGTERM" insp_slotd_stop
kill "$mon"
wait "$mon" 2>/dev/null || true
sf_done
