#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The firewall at slot 2, the IPS at slot 4 and web reputation at slot 5 on
# one port, all served by one slotd. The firewall drops by default and
# allows HTTP from the workload; ips gets TCP to and from port 80 (drop
# "EVILSIG", alert on the server's page), web gets HTTP requests (log of
# every lookup). An allowed request walks all three and gets the page
# (alerted by ips on its way back); a request for a blocked host passes
# ips, is reset by web and never answered, so ips never alerts on it; a
# request carrying the signature is dropped by ips and never reaches web.
# Port 8080 is not allowed: the firewall drops it before any service.
#
#     netns $WL                     netns $HV
#     w0 10.9.0.2 <----veth----> p0 10.9.0.1 (port; 2: firewall,
#     curl                             4: ips, 5: web)
#                                    http.server :80, slotd

source "$(dirname "$0")/inspect_lib.sh"
sf_topo

cat >"$SF_TMP/ips.rules" <<'END'
drop tcp any any -> any 80 (msg:"TEST evil signature"; flow:to_server; \
	content:"EVILSIG"; sid:1000001;)
alert tcp any 80 -> any any (msg:"TEST page served"; flow:to_client; \
	content:"hello from"; sid:1000003;)
END
printf 'allowed.example 90 news\nblocked.example 5 malware\n' \
	>"$SF_TMP/webrep.db"
cat >"$SF_TMP/slotd.conf" <<END
probe-interval 200
service ips builtin:ips rules=$SF_TMP/ips.rules mode=prevent eve=$SF_TMP/eve.json
service web builtin:webrep db=$SF_TMP/webrep.db log=$SF_TMP/webrep.json log-lookups=yes
END

insp_http "$HV" 10.9.0.1 80
sf_ctl "$HV" port add dev p0
sf_ctl "$HV" fw default drop
sf_ctl "$HV" fw rule add 10 allow dir ingress proto tcp dport 80
sf_ctl "$HV" service add ips slot 4
sf_ctl "$HV" service add web slot 5
sf_ctl "$HV" redirect add service ips 1 redirect proto tcp dport 80
sf_ctl "$HV" redirect add service ips 2 redirect proto tcp sport 80
sf_ctl "$HV" redirect add service web 1 redirect dir ingress proto tcp dport 80
check_eq "p0: firewall at 2, services at 4 and 5" \
	"$(sf_ctl "$HV" port show dev p0 | sed -n 's/^  ingress: //p')" \
	"slots: 2 firewall 4 service 5 service"
check "slotd: ips and web up" insp_slotd ips web

res=(--resolve allowed.example:80:10.9.0.1 --resolve blocked.example:80:10.9.0.1)
check_eq "allowed.example gets the page" \
	"$(insp_curl --local-port 42001 "${res[@]}" http://allowed.example/)" \
	"0 200 hello from slotfilter"
check_eq "blocked.example is reset (web)" \
	"$(insp_curl --local-port 42002 "${res[@]}" http://blocked.example/)" \
	"56 000 "
check_eq "allowed.example/?q=EVILSIG is dropped (ips): curl times out" \
	"$(insp_curl --local-port 42003 "${res[@]}" 'http://allowed.example/?q=EVILSIG')" \
	"28 000 "
check_eq "port 8080 is dropped by the firewall: curl times out" \
	"$(insp_curl --local-port 42004 http://10.9.0.1:8080/)" "28 000 "
check_eq "the requests that reached the server" \
	"$(sed -n 's/.*"\(GET [^"]*\)".*/\1/p' "$SF_TMP/http.log")" \
	"GET / HTTP/1.1"

check_eq "firewall: rule 10 allowed 3 flows" \
	"$(sf_ctl "$HV" -j fw rule show | python3 -c '
import json, sys
print(*[r["flows"] for r in json.load(sys.stdin) if r["id"] == 10])')" 3
read -r ired idrop iheld ifail < <(insp_stat ips redirected dropped held failed-open)
read -r wred wdrop wheld wfail < <(insp_stat web redirected dropped held failed-open)
check_eq "ips: 1 dropped, none held or failed" "$idrop $iheld $ifail" "1 0 0"
check_eq "web: 1 dropped (reset), none held or failed" "$wdrop $wheld $wfail" \
	"1 0 0"
# web saw the handshakes of the three flows and two requests; ips more
# (both ways, and what web let through after its verdict).
check "ips and web both saw packets (ips $ired, web $wred)" \
	test "$wred" -ge 5 -a "$ired" -gt "$wred"

check "ips: 2 alerts" sf_wait_line "$SF_TMP/eve.json" '"event_type":"alert"' 2
check "ips: the alerts are JSON" insp_json_to "$SF_TMP/eve" \
	"$SF_TMP/eve.json" alert.signature_id alert.action src_port dest_port
check_eq "ips: the page of 42001 alerted, the signature of 42003 blocked, nothing of 42002" \
	"$(cols "$SF_TMP/eve" 1-4)" \
	"$(printf '%s\n' '1000003 allowed 80 42001' '1000001 blocked 42003 80')"
check "web: 2 lookups logged" sf_wait_line "$SF_TMP/webrep.json" '"event_type":"webrep"' 2
check "web: the log is JSON" insp_json_to "$SF_TMP/log" \
	"$SF_TMP/webrep.json" action host src_port slotfilter.slot
check_eq "web: allowed 42001, blocked 42002, never saw 42003's request" \
	"$(cols "$SF_TMP/log" 1-4)" \
	"$(printf '%s\n' 'allowed allowed.example 42001 5' \
		'blocked blocked.example 42002 5')"

check "slotd exits 0 on SIGTERM" insp_slotd_stop
sf_done
