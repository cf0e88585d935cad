#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Bad input to slotd's kinds ips and webrep: a rules file with five broken
# rules among two good ones, a reputation database with four broken lines
# among two good ones. slotd reports each with its file and line on
# stderr, then the counts, loads the good ones and runs with them: the
# good drop rule drops, the good alert rule alerts, the good entries block
# and allow. A reload with the rules fixed loads them all.
#
#     netns $WL                     netns $HV
#     w0 10.9.0.2 <----veth----> p0 10.9.0.1 (port; 4: ips, 5: web)
#     curl                           http.server :80, slotd

source "$(dirname "$0")/inspect_lib.sh"
sf_topo

R=$SF_TMP/ips.rules
D=$SF_TMP/webrep.db
cat >"$R" <<'END'
# inspect_bad.sh: 2 good rules, 5 bad ones
drop tcp any any -> any 80 (msg:"good"; content:"EVILSIG"; sid:1;)
alert tcp any any -> any 80 (msg:"sticky"; http_uri; content:"x"; sid:2;)
alert tcp any any -> any 80 (content:"abc"; depth:2; sid:3;)
alert tls any any -> any any (sid:4;)
alert tcp any any -> any 80 (msg:"no sid";)
alert tcp any any -> any 80 (msg:"dup"; sid:1;)
alert tcp any any -> any 80 (msg:"good too"; content:"GET /"; depth:5; sid:5;)
END
cat >"$D" <<'END'
# inspect_bad.sh: 2 good lines, 4 bad ones
blocked.example 5 malware
bad line
bad..example 5 malware
blocked.example 10 ads
x.example 101 ads
allowed.example 90 news
END
cat >"$SF_TMP/slotd.conf" <<END
probe-interval 200
service ips builtin:ips rules=$R mode=prevent eve=$SF_TMP/eve.json
service web builtin:webrep db=$D
END

insp_http "$HV" 10.9.0.1 80
sf_ctl "$HV" port add dev p0
sf_ctl "$HV" service add ips slot 4
sf_ctl "$HV" service add web slot 5
sf_ctl "$HV" redirect add service ips 1 redirect dir ingress proto tcp dport 80
sf_ctl "$HV" redirect add service web 1 redirect dir ingress proto tcp dport 80
check "slotd runs: ips and web up" insp_slotd ips web
got=$(grep -F "$SF_TMP/" "$SF_TMP/slotd.log")
want=$(cat <<-END
	slotd: service ips: $R:3: keyword 'http_uri' is not supported
	slotd: service ips: $R:4: content 1: depth 2 is shorter than the content (3 bytes)
	slotd: service ips: $R:5: protocol 'tls' is not supported
	slotd: service ips: $R:6: no sid
	slotd: service ips: $R:7: sid 1 already used on line 2
	slotd: service ips: $R: 2 rules loaded, 5 rejected
	slotd: $D:3: want NAME SCORE CATEGORY
	slotd: $D:4: 'bad..example': bad host: labels of a-z 0-9 - _ (1-63 bytes, 253 in all)
	slotd: $D:5: 'blocked.example' is already listed at line 2
	slotd: $D:6: score '101': want 0 to 100
	slotd: service web: webrep: $D: 2 hosts, 0 wildcards, 0 URL prefixes; 4 bad lines
	END
)
check_eq "stderr: each bad rule and line with its line number, then the counts" \
	"$got" "$want"
[ "$got" = "$want" ] || diff <(echo "$want") <(echo "$got") | sed 's/^/# /'

res=(--resolve allowed.example:80:10.9.0.1 --resolve blocked.example:80:10.9.0.1)
check_eq "the good entry allows: allowed.example gets the page" \
	"$(insp_curl --local-port 43001 "${res[@]}" http://allowed.example/)" \
	"0 200 hello from slotfilter"
check_eq "the good entry blocks: blocked.example is reset" \
	"$(insp_curl --local-port 43002 "${res[@]}" http://blocked.example/)" \
	"56 000 "
check_eq "the good drop rule drops EVILSIG: curl times out" \
	"$(insp_curl --local-port 43003 "${res[@]}" 'http://allowed.example/?q=EVILSIG')" \
	"28 000 "
check "the good rules alerted: 4 lines" \
	sf_wait_line "$SF_TMP/eve.json" '"event_type":"alert"' 4
check "the alerts are JSON" insp_json_to "$SF_TMP/eve" \
	"$SF_TMP/eve.json" alert.signature_id alert.action src_port
check_eq "the alerts: sid 5 on each request, sid 1 on the signature" \
	"$(cols "$SF_TMP/eve" 1-3 | sort)" \
	"$(printf '%s\n' '1 blocked 43003' '5 allowed 43001' '5 allowed 43002' \
		'5 allowed 43003' | sort)"

# the rules fixed: a reload loads them all
sed -i '3,7d' "$R"
kill -HUP "$slotd"
check "reload: 2 rules loaded, 0 rejected" sf_wait_line "$SF_TMP/slotd.log" \
	"slotd: service ips: $R: 2 rules loaded, 0 rejected"
check_eq "after the reload: EVILSIG still dropped" \
	"$(insp_curl --local-port 43004 "${res[@]}" 'http://allowed.example/?q=EVILSIG')" \
	"28 000 "
check "slotd exits 0 on SIGTERM" insp_slotd_stop
sf_done
