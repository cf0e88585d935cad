#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# slotd's built-in kind webrep on the real kernel, with real servers and
# clients. Service web at slot 4 gets TCP to ports 80 and 4433 and UDP to
# port 53 arriving on p0. Its database lists allowed.example (90 news),
# blocked.example (5 malware), *.phish.example (10 phishing) and the URL
# prefix allowed.example/warez/ (5 malware); the threshold is 40.
#
# HTTP (by --resolve, and by a Host header to the address): the allowed
# host gets the page; the blocked host, a name under the wildcard and the
# blocked URL prefix get a reset, and the server never sees them. HTTPS
# with SNI: the allowed name gets openssl s_server's page, the blocked one
# a reset during the handshake. DNS: the allowed name is answered, the
# blocked one's query is dropped. The log has one JSON line per block with
# its exact fields, and the kernel's counters add up.
#
#     netns $WL                     netns $HV
#     w0 10.9.0.2 <----veth----> p0 10.9.0.1 (port; slot 4: web)
#     curl, inspect_net.py dns       http.server :80, s_server :4433,
#                                    inspect_net.py dns-serve :53, slotd

source "$(dirname "$0")/inspect_lib.sh"
sf_require openssl
sf_topo

cat >"$SF_TMP/webrep.db" <<'END'
# inspect_webrep.sh
allowed.example          90 news
blocked.example           5 malware
*.phish.example          10 phishing
allowed.example/warez/    5 malware
END
cat >"$SF_TMP/slotd.conf" <<END
probe-interval 200
service web builtin:webrep db=$SF_TMP/webrep.db log=$SF_TMP/webrep.json
END

insp_http "$HV" 10.9.0.1 80
insp_https "$HV" 10.9.0.1 4433
insp_dns "$HV" 10.9.0.1
sf_ctl "$HV" port add dev p0
sf_ctl "$HV" service add web slot 4
sf_ctl "$HV" redirect add service web 1 redirect dir ingress proto tcp dport 80
sf_ctl "$HV" redirect add service web 2 redirect dir ingress proto tcp dport 4433
sf_ctl "$HV" redirect add service web 3 redirect dir ingress proto udp dport 53
check "slotd: web up" insp_slotd web
check "the database loads" grep -qxF \
	"slotd: service web: webrep: $SF_TMP/webrep.db: 2 hosts, 1 wildcards, 1 URL prefixes; 0 bad lines" \
	"$SF_TMP/slotd.log"

page="0 200 hello from slotfilter"
res=(--resolve allowed.example:80:10.9.0.1 --resolve blocked.example:80:10.9.0.1)
check_eq "http: allowed.example gets the page" \
	"$(insp_curl --local-port 41001 "${res[@]}" http://allowed.example/)" "$page"
check_eq "http: blocked.example is reset (56)" \
	"$(insp_curl --local-port 41002 "${res[@]}" http://blocked.example/)" "56 000 "
check "http: curl says it was reset" \
	grep -qF "Connection reset by peer" "$SF_TMP/curl.err"
check_eq "http: Host: login.phish.example (wildcard) is reset" \
	"$(insp_curl --local-port 41003 -H 'Host: login.phish.example' http://10.9.0.1/)" \
	"56 000 "
check_eq "http: Host: allowed.example to the address gets the page" \
	"$(insp_curl --local-port 41004 -H 'Host: Allowed.Example' http://10.9.0.1/)" \
	"$page"
check_eq "http: allowed.example/warez/ (URL prefix) is reset" \
	"$(insp_curl --local-port 41005 "${res[@]}" http://allowed.example/warez/x.zip)" \
	"56 000 "
check_eq "http: the requests that reached the server" \
	"$(sed -n 's/.*"\(GET [^"]*\)".*/\1/p' "$SF_TMP/http.log")" \
	"$(printf '%s\n' 'GET / HTTP/1.1' 'GET / HTTP/1.1')"

tls=(-k --resolve allowed.example:4433:10.9.0.1
	--resolve blocked.example:4433:10.9.0.1)
check_eq "https: SNI allowed.example gets s_server's page" \
	"$(insp_curl --local-port 41006 "${tls[@]}" https://allowed.example:4433/ |
		cut -d' ' -f1-2)" "0 200"
check_eq "https: SNI blocked.example is reset in the handshake (35)" \
	"$(insp_curl --local-port 41007 "${tls[@]}" https://blocked.example:4433/)" \
	"35 000 "
check "https: curl says it was reset" \
	grep -qF "Connection reset by peer" "$SF_TMP/curl.err"

check_eq "dns: allowed.example is answered" \
	"$(insp_dig 41008 allowed.example)" 192.0.2.53
check_eq "dns: blocked.example gets no answer" \
	"$(insp_dig 41009 blocked.example)" timeout
check_eq "dns: www.phish.example gets no answer" \
	"$(insp_dig 41010 www.phish.example)" timeout

read -r drop held fopen tout red cont fcont < <(insp_stat web dropped held \
	failed-open timed-out redirected continued flow-continued)
check_eq "kernel: 6 blocked (3 http, 1 tls flows; 2 dns queries), none held, failed or timed out" \
	"$drop $held $fopen $tout" "6 0 0 0"
check_eq "kernel: every other redirected packet continued" "$red" \
	"$((cont + 6))"
check "kernel: the allowed flows' later packets stay in the kernel ($fcont)" \
	test "$fcont" -ge 3

# the log: one line per block
check "log: 6 lines" sf_wait_line "$SF_TMP/webrep.json" '"event_type":"webrep"' 6
check "log: each line is JSON" insp_json_to "$SF_TMP/log" \
	"$SF_TMP/webrep.json" proto action host url score category entry \
	src_ip src_port dest_ip dest_port slotfilter.port slotfilter.direction slotfilter.slot \
	slotfilter.service event_type timestamp flow_id @keys
want=$(cat <<-END
	http blocked blocked.example / 5 malware blocked.example 10.9.0.2 41002 10.9.0.1 80 p0 ingress 4 web webrep
	http blocked login.phish.example / 10 phishing *.phish.example 10.9.0.2 41003 10.9.0.1 80 p0 ingress 4 web webrep
	http blocked allowed.example /warez/x.zip 5 malware allowed.example/warez/ 10.9.0.2 41005 10.9.0.1 80 p0 ingress 4 web webrep
	tls blocked blocked.example - 5 malware blocked.example 10.9.0.2 41007 10.9.0.1 4433 p0 ingress 4 web webrep
	dns blocked blocked.example - 5 malware blocked.example 10.9.0.2 41009 10.9.0.1 53 p0 ingress 4 web webrep
	dns blocked www.phish.example - 10 phishing *.phish.example 10.9.0.2 41010 10.9.0.1 53 p0 ingress 4 web webrep
	END
)
got=$(cols "$SF_TMP/log" 1-16)
check_eq "log: proto, action, host, url, score, category, entry, ends, where" \
	"$got" "$want"
[ "$got" = "$want" ] || diff <(echo "$want") <(echo "$got") | sed 's/^/# /'
check_eq "log: the members, in order (url for http only)" \
	"$(cut -f 19 "$SF_TMP/log" | sort -u)" \
	"$(printf '%s\n' \
		'timestamp flow_id event_type src_ip src_port dest_ip dest_port proto action host score category entry slotfilter slotfilter.port slotfilter.direction slotfilter.slot slotfilter.service' \
		'timestamp flow_id event_type src_ip src_port dest_ip dest_port proto action host url score category entry slotfilter slotfilter.port slotfilter.direction slotfilter.slot slotfilter.service')"
check_eq "log: timestamps in UTC, microseconds" "$(cut -f 17 "$SF_TMP/log" |
	grep -cE '^20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9]\.[0-9]{6}\+0000$')" 6
check_eq "log: TCP blocks carry distinct flow ids" \
	"$(head -n 4 "$SF_TMP/log" | cut -f 18 | awk '$1 > 0' | sort -u | wc -l)" 4

check "slotd exits 0 on SIGTERM" insp_slotd_stop
sf_done
