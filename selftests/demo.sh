#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make demo`, inside the VM: two workloads on a host bridge, each behind a
# veth whose host end is a slotfilter port. They talk through the ports,
# then the firewall at slot 2 allows what the ruleset allows and blocks the
# rest, with its counters, flows and log events to show for it. Then an
# inspection service at slot 4 (the example external service strdrop,
# behind slotd) judges what a redirect rule sends it, and fails closed when
# it goes away. Last, slotd's built-in IPS (slot 4) and web reputation
# (slot 5) judge HTTP from web to db: a bad site is reset, an attack is
# dropped and its sender quarantined until the TTL runs out.
#
#     netns $WL1 (web)         netns $HV (host)           netns $WL2 (db)
#     eth0 10.9.0.11 <-veth-> vm1 --+                 +-- vm2 <-veth-> eth0 10.9.0.12
#                                   +----- br0 -------+
#                                 (vm1, vm2: ports)

source "$(dirname "$0")/lib.sh"
WL1=sf-web-$SF_RUN
WL2=sf-db-$SF_RUN

step()
{
	printf '\n\033[1m== %s\033[0m\n' "$*"
}

show()
{
	echo "\$ slotctl $*"
	sf_ctl "$HV" "$@"
}

try()
{
	local what=$1

	shift
	printf '%-46s -> %s\n' "$what" "$("$@")"
}

step "two workloads (network namespaces) on a host bridge"
sf_ns "$HV"
sf_ns "$WL1"
sf_ns "$WL2"
ip -n "$HV" link add br0 type bridge
ip -n "$HV" link set br0 up
for i in 1 2; do
	ns=$WL1
	[ $i = 2 ] && ns=$WL2
	ip -n "$HV" link add "vm$i" type veth peer name eth0 netns "$ns"
	ip -n "$HV" link set "vm$i" master br0 up
	ip -n "$ns" addr add "10.9.0.1$i/24" dev eth0
	ip -n "$ns" link set eth0 up
done
sf_serve "$WL2" tcp 0.0.0.0 5432
sf_serve "$WL2" tcp 0.0.0.0 22
sf_serve "$WL1" tcp 0.0.0.0 8080
sf_serve "$WL2" udp 0.0.0.0 5353
echo "web 10.9.0.11 --- vm1 [br0] vm2 --- db 10.9.0.12 (db listens on 5432 and 22, web on 8080)"

step "attach slotfilter to the workloads' host ends"
show port add dev vm1
show port add dev vm2
show port tag dev vm1 web
show port tag dev vm2 db
show port show

step "traffic with empty slots: everything passes"
try "ping web -> db" sh -c "ip netns exec $WL1 ping -c 3 -i 0.2 -q 10.9.0.12 >/dev/null && echo reply"
try "tcp web -> db:5432" sf_probe "$WL1" tcp 10.9.0.12 5432
try "tcp web -> db:22" sf_probe "$WL1" tcp 10.9.0.12 22
try "tcp db -> web:8080" sf_probe "$WL2" tcp 10.9.0.11 8080

step "a firewall ruleset, applied in one atomic commit"
cat >"$SF_TMP/demo.conf" <<'CONF'
# web may reach the database port of db; ssh to db is refused (and logged);
# ping is fine; everything else is dropped.
port vm1 tags web
port vm2 tags db
firewall default drop
rule 10 allow dir ingress applied-to tag web proto tcp dport 5432
rule 20 allow dir egress applied-to tag db proto tcp dport 5432
rule 30 allow proto icmp
rule 40 reject log proto tcp dport 22
CONF
cat "$SF_TMP/demo.conf"
show apply -f "$SF_TMP/demo.conf"
show fw show

step "traffic through slot 2 (the firewall)"
sf_ctl "$HV" monitor >"$SF_TMP/events" &
monitor=$!
sleep 0.5
try "ping web -> db (rule 30)" sh -c "ip netns exec $WL1 ping -c 3 -i 0.2 -q 10.9.0.12 >/dev/null && echo reply"
try "tcp web -> db:5432 (rules 10, 20)" sf_probe "$WL1" tcp 10.9.0.12 5432
try "tcp web -> db:22 (rule 40: reject)" sf_probe "$WL1" tcp 10.9.0.12 22
try "tcp db -> web:8080 (default: drop)" sf_probe "$WL2" tcp 10.9.0.11 8080
sleep 0.5
kill $monitor

step "what slotctl monitor saw (rule 40 logs)"
cat "$SF_TMP/events"

step "the tracked flows"
show fw flows

step "the rules' counters"
show -s fw rule show

step "the ports' counters (ingress = from the workload)"
show -s port show

step "an inspection service at slot 4, served through slotd"
SLOTD=$SF_TOP/tools/slotd/slotd
STRDROP=$SF_TOP/tools/slotd/examples/strdrop
# udp web -> db:5353 with PAYLOAD: reply (echoed) or timeout
udp_say()
{
	sf_probe "$WL1" udp 10.9.0.12 5353 "$1"
}
# wait_log FILE TEXT: up to 10 s for TEXT to show up in FILE
wait_log()
{
	for _ in $(seq 100); do
		grep -qF -- "$2" "$1" && return 0
		sleep 0.1
	done
	echo "(gave up waiting for \"$2\")"
}
show fw rule add 50 allow proto udp dport 5353
show service add ips slot 4 failure-policy closed timeout 500
show redirect add service ips 1 redirect dir ingress applied-to tag web proto udp dport 5353
echo "\$ strdrop SOCKET 'DROP TABLE' &    # the service: drops what contains the string"
ip netns exec "$HV" "$STRDROP" -n ips "$SF_TMP/ips.sock" "DROP TABLE" \
	>"$SF_TMP/strdrop.log" 2>&1 &
strdrop=$!
echo "\$ slotd -s ips=unix:SOCKET &"
ip netns exec "$HV" "$SLOTD" -s "ips=unix:$SF_TMP/ips.sock,probe-interval=200,probe-timeout=1000" \
	2>"$SF_TMP/slotd.log" &
slotd=$!
wait_log "$SF_TMP/slotd.log" "service ips: up"
try "udp web -> db:5353 \"SELECT 1\" (2, 4)" udp_say "SELECT 1"
try "udp web -> db:5353 \"DROP TABLE x\" (4: drop)" udp_say "DROP TABLE x"
show -s service show ips
show -s port show dev vm1

step "the service dies: slotd marks it failing, its policy (closed) applies"
kill "$strdrop"
wait "$strdrop" 2>/dev/null
wait_log "$SF_TMP/slotd.log" "service ips: failing"
try "udp web -> db:5353 \"SELECT 1\" (4: fails closed)" udp_say "SELECT 1"
try "tcp web -> db:5432 (not redirected)" sf_probe "$WL1" tcp 10.9.0.12 5432
show -s service show ips
echo "slotd's log:"
sed 's/^/  /' "$SF_TMP/slotd.log"
kill "$slotd"
wait "$slotd" 2>/dev/null
show redirect del service ips 1
show service del ips

step "IPS at slot 4 (both directions: it tracks TCP), web reputation at slot 5"
mkdir -p "$SF_TMP/www"
echo "hello from db" >"$SF_TMP/www/index.html"
ip netns exec "$WL2" python3 -m http.server 80 --bind 10.9.0.12 \
	--directory "$SF_TMP/www" >/dev/null 2>&1 &
# GET from web to db's HTTP server, with a Host header: status or error
http_get()
{
	local code rc=0

	code=$(ip netns exec "$WL1" curl -gs -o /dev/null -w '%{http_code}' \
		--max-time 2 -H "Host: $1" "http://10.9.0.12$2") || rc=$?
	case $rc in
	0) echo "HTTP $code" ;;
	28) echo "timeout (dropped)" ;;
	56) echo "connection reset" ;;
	*) echo "curl error $rc" ;;
	esac
}
show fw rule add 5 drop applied-to tag quarantine before 10
show fw rule add 60 allow dir ingress applied-to tag web proto tcp dport 80
show fw rule add 61 allow dir egress applied-to tag db proto tcp dport 80
show service add ips slot 4 failure-policy open
show service add webrep slot 5 failure-policy open
show redirect add service ips 1 redirect dir ingress applied-to tag web proto tcp dport 80
show redirect add service ips 2 redirect dir egress applied-to tag web proto tcp sport 80
show redirect add service webrep 1 redirect dir ingress applied-to tag web proto tcp dport 80
cat >"$SF_TMP/slotd.conf" <<CONF
probe-interval 200
service ips builtin:ips rules=$SF_TOP/tools/slotd/examples/ips.rules mode=prevent eve=$SF_TMP/eve.json quarantine=10
service webrep builtin:webrep db=$SF_TOP/tools/slotd/examples/webrep.db log=$SF_TMP/webrep.json
CONF
echo "\$ cat slotd.conf"
sed "s|$SF_TOP/||g; s|$SF_TMP/||g" "$SF_TMP/slotd.conf"
echo "\$ slotd -c slotd.conf &"
: >"$SF_TMP/slotd2.log"
ip netns exec "$HV" "$SLOTD" -c "$SF_TMP/slotd.conf" 2>"$SF_TMP/slotd2.log" &
slotd=$!
wait_log "$SF_TMP/slotd2.log" "service ips: up"
wait_log "$SF_TMP/slotd2.log" "service webrep: up"
sf_ctl "$HV" monitor >"$SF_TMP/events2" &
monitor=$!
sleep 0.5
try "GET http://news.example/ (score 90)" http_get news.example /
try "GET http://malware.example/ (score 5)" http_get malware.example /
try "GET /?q=\${jndi:ldap://x} (IPS sid 1000003)" http_get news.example '/?q=${jndi:ldap://x}'
wait_log "$SF_TMP/slotd2.log" "quarantine: port vm1"

step "the attacker (web) is quarantined: rule 5 cuts it off"
show port show dev vm1
try "tcp web -> db:5432 (rule 5: quarantine)" sf_probe "$WL1" tcp 10.9.0.12 5432
echo "(slotd lifts the tag after the 10 s TTL)"
wait_log "$SF_TMP/slotd2.log" ") released"
try "tcp web -> db:5432 (after the TTL)" sf_probe "$WL1" tcp 10.9.0.12 5432
sleep 0.5
kill $monitor

step "what slotctl monitor saw: the blocks, the alert, the quarantine"
sed 's/^/  /' "$SF_TMP/events2"
step "the IPS's EVE alert"
while read -r line; do
	echo "$line" | python3 -m json.tool
done <"$SF_TMP/eve.json" | sed 's/^/  /'
show -s service show ips
kill "$slotd"
wait "$slotd" 2>/dev/null
show redirect del service ips 1
show redirect del service ips 2
show redirect del service webrep 1
show service del ips
show service del webrep

step "save: the state as a file apply takes back"
show save

step "detach"
show port del dev vm1
show port del dev vm2
show port show
echo "(no ports)"
