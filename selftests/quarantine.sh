#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Auto-quarantine end to end: slotd's built-in IPS (prevent mode,
# quarantine=15) at slot 4 sees an attack from the workload; slotd tags the
# workload's port "quarantine"; the firewall's rule applied to that tag
# cuts the workload's other, established connection at once; after the
# TTL slotd lifts the tag and the workload talks again. Each step shows in
# slotctl monitor.
#
#     netns $WL                         netns $HV
#     w0 10.9.0.2  <-----veth----->     p0 10.9.0.1 (port)
#     the attacker, with a              HTTP :80 (python), a line echo
#     connection to :5432 open          :5432, slotd (ips)

source "$(dirname "$0")/service_lib.sh"
SLOTD=${SLOTD:-$SF_TOP/tools/slotd/slotd}
[ -x "$SLOTD" ] || sf_skip "slotd not built"
sf_require python3 curl
sf_topo

mkdir -p "$SF_TMP/www"
echo hello >"$SF_TMP/www/index.html"
ip netns exec "$HV" python3 -m http.server 80 --bind 10.9.0.1 \
	--directory "$SF_TMP/www" >/dev/null 2>&1 &
# A line echo server on :5432: every connection, every line back.
ip netns exec "$HV" python3 -c '
import socket, threading
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.9.0.1", 5432))
s.listen(8)
def serve(c):
    f = c.makefile("rwb", 0)
    for line in f:
        f.write(line)
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()' &

cat >"$SF_TMP/ips.rules" <<'RULES'
drop tcp any any -> any 80 (msg:"test attack"; flow:to_server,established; content:"ATTACK"; sid:9001; rev:1;)
RULES
sf_ctl "$HV" apply -f - <<CONF
port p0
firewall default allow
rule 1 drop applied-to tag quarantine
service ips slot 4 failure-policy open timeout 2000
redirect service ips 1 redirect dir ingress proto tcp dport 80
redirect service ips 2 redirect dir egress proto tcp sport 80
CONF
cat >"$SF_TMP/slotd.conf" <<CONF
probe-interval 100
service ips builtin:ips rules=$SF_TMP/ips.rules mode=prevent quarantine=15
CONF
ip netns exec "$HV" "$SLOTD" -c "$SF_TMP/slotd.conf" 2>"$SF_TMP/slotd.log" &
check "slotd: the IPS is up" sf_wait_line "$SF_TMP/slotd.log" "service ips: up"
sf_ctl "$HV" -j monitor >"$SF_TMP/events" &
sleep 0.5

# get PATH: the workload's GET of http://10.9.0.1PATH: status or curl's error
get()
{
	ip netns exec "$WL" curl -s -o /dev/null -w '%{http_code}' --max-time 2 \
		"http://10.9.0.1$1" || echo " curl $?"
}

# The workload's long-lived connection to :5432: one line now, one when
# $SF_TMP/go appears; prints "echo" or "cut" for each.
ip netns exec "$WL" python3 -c '
import os, socket, sys, time
c = socket.create_connection(("10.9.0.1", 5432), timeout=2)
def one(line):
    try:
        c.sendall(line)
        return "echo" if c.recv(64) == line else "wrong"
    except OSError:
        return "cut"
print(one(b"before\n"), flush=True)
while not os.path.exists(sys.argv[1]):
    time.sleep(0.05)
print(one(b"after\n"), flush=True)' "$SF_TMP/go" >"$SF_TMP/conn" &
conn=$!
for _ in $(seq 200); do [ -s "$SF_TMP/conn" ] && break; sleep 0.05; done

check_eq "a clean GET passes the IPS" "$(get /)" 200
check_eq "the attack is dropped" "$(get /ATTACK)" "000 curl 28"
check "slotd tags p0" sf_wait_line "$SF_TMP/slotd.log" "quarantine: port p0"
check_eq "p0 carries the tag" \
	"$(sf_ctl "$HV" -j port show dev p0 | python3 -c 'import json,sys; print(",".join(json.load(sys.stdin)[0]["tags"]))')" \
	"quarantine"
touch "$SF_TMP/go"
wait $conn
check_eq "the established connection is cut at its next packet" \
	"$(tr '\n' ' ' <"$SF_TMP/conn")" "echo cut "
check_eq "a new GET is cut too" "$(get /)" "000 curl 28"
check "after the TTL slotd lifts the tag" \
	sf_wait_line "$SF_TMP/slotd.log" ") released"
check_eq "p0 carries no tag" \
	"$(sf_ctl "$HV" -j port show dev p0 | python3 -c 'import json,sys; print(",".join(json.load(sys.stdin)[0]["tags"]) or "none")')" \
	"none"
check_eq "the workload talks again" "$(get /)" 200
sleep 0.5
check_eq "slotctl monitor: the alert, tagged, released" \
	"$(python3 -c '
import json, sys
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e.get("event") != "alert":
        continue
    a = e["alert"]
    if a.get("event_type") == "alert":
        print("alert", a["alert"]["signature_id"], a["alert"]["action"], a["slotfilter"]["port"])
    elif a.get("event_type") == "quarantine":
        print("quarantine", a["action"], a["port"], a["ttl"], a.get("reason", "-"))
' "$SF_TMP/events")" \
	"alert 9001 blocked p0
quarantine tagged p0 15 sid 9001: test attack
quarantine released p0 0 -"
sf_done
