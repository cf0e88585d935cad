#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Redirect rules through slotctl: exact output of `redirect show` (text,
# -s, JSON), redirect rules and firewall rules changed through the same
# read-modify-write of the ruleset without one losing the other, the
# messages of refusals, and apply/save with redirect lines: the round
# trip changes nothing, a service that redirect rules still name is kept.

#
#     netns $WL             netns $HV
#     w0 10.9.0.2 <-veth-> p0 10.9.0.1 (port)

source "$(dirname "$0")/lib.sh"
sf_require python3
sf_topo

check "port add dev p0" sf_ctl "$HV" port add dev p0
check "service add ips" sf_ctl "$HV" service add ips slot 8
check "service add web" sf_ctl "$HV" service add web slot 6

# ---- redirect rules, in the same ruleset as the firewall's ----
check "fw rule add 1" sf_ctl "$HV" fw rule add 1 allow proto udp
check "redirect add ips 10" sf_ctl "$HV" redirect add service ips 10 \
	redirect proto tcp dport 80
check "redirect add ips 5 before 10" sf_ctl "$HV" redirect add service ips \
	5 skip src 10.9.0.0/24 before 10
check "redirect add web 10 (ids are per service)" sf_ctl "$HV" redirect add \
	service web 10 redirect dir ingress applied-to port p0
check "fw rule add 2 after it" sf_ctl "$HV" fw rule add 2 drop proto tcp \
	dport 9
check_eq "redirect show: services in slot order" \
	"$(sf_ctl "$HV" redirect show)" \
"redirect service web 10 redirect dir ingress applied-to port p0
redirect service ips 5 skip src 10.9.0.0/24
redirect service ips 10 redirect proto tcp dport 80"
check_eq "redirect show service ips -s" \
	"$(sf_ctl "$HV" -s redirect show service ips)" \
"redirect service ips 5 skip src 10.9.0.0/24
    packets 0 bytes 0 flows 0 last-hit never
redirect service ips 10 redirect proto tcp dport 80
    packets 0 bytes 0 flows 0 last-hit never"
check_eq "the firewall rules survived" "$(sf_ctl "$HV" fw rule show)" \
"rule 1 allow proto udp
rule 2 drop proto tcp dport 9"
check_eq "service show counts the redirect rules" \
	"$(sf_ctl "$HV" service show | grep state)" \
"  state no-helper held 0 most-held 0 redirect-rules 1
  state no-helper held 0 most-held 0 redirect-rules 2"
check "redirect show -j" python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert [(r["service"], r["id"], r["action"]) for r in d] == [("web", 10, "redirect"), ("ips", 5, "skip"), ("ips", 10, "redirect")], d
assert d[2]["dport"] == {"min": 80, "max": 80} and "log" not in d[2]
assert d[0]["applied-to"] == {"ports": ["p0"], "tags": []}
' "$(sf_ctl "$HV" -j redirect show)"

gen=$(sf_fw_gen "$HV")
check_fails "redirect to no service" 1 'slotctl: no service "nosuch"' \
	sf_ctl "$HV" redirect add service nosuch 1 redirect
check_fails "a redirect rule id twice" 1 \
	'slotctl: redirect rule 10 of service "ips" exists already' \
	sf_ctl "$HV" redirect add service ips 10 skip
check_fails "before a rule that is not there" 1 \
	'slotctl: no redirect rule 7 of service "ips" to add a rule before' \
	sf_ctl "$HV" redirect add service ips 11 skip before 7
check_fails "del: an id of two services" 1 \
	'slotctl: redirect rule 10 exists for 2 services: say which ("redirect del service NAME 10")' \
	sf_ctl "$HV" redirect del 10
check_fails "del: no such rule" 1 'slotctl: no redirect rule 99' \
	sf_ctl "$HV" redirect del 99
check_fails "redirect rules do not log" 2 'slotctl: redirect rules do not log' \
	sf_ctl "$HV" redirect add service ips 11 redirect log
check_fails "a service its rules name" 1 \
	'slotctl: Device or resource busy: slotfilter: redirect rules of the ruleset name this service: replace the ruleset without them first' \
	sf_ctl "$HV" service del web
check_eq "none of them changed the ruleset" "$(sf_fw_gen "$HV")" "$gen"

check "redirect del service web 10" sf_ctl "$HV" redirect del service web 10
check "redirect del 5 (one service has it)" sf_ctl "$HV" redirect del 5
check_eq "what is left" "$(sf_ctl "$HV" redirect show)" \
	"redirect service ips 10 redirect proto tcp dport 80"
check "service del web (no rule names it now)" sf_ctl "$HV" service del web
check_eq "web is gone" "$(sf_ctl "$HV" service show | grep -c '^service')" 1

# ---- apply and save ----
cat >"$SF_TMP/svc.conf" <<'CONF'
port p0
set clients 10.9.0.0/24
service ips slot 4 failure-policy closed timeout 250
service web slot 6 copy 96
rule 1 allow proto udp
redirect service ips 1 redirect src @clients proto tcp dport 80-443
redirect service ips 2 skip
redirect service web 1 redirect dir egress
CONF
check "apply a file with services" sf_ctl "$HV" apply -f "$SF_TMP/svc.conf"
sf_ctl "$HV" save >"$SF_TMP/saved1"
check_eq "saved services and redirect rules" \
	"$(grep -E '^(service|redirect|rule)' "$SF_TMP/saved1")" \
"service ips slot 4 failure-policy closed timeout 250 queue-max 1024 copy full
service web slot 6 failure-policy open timeout 1000 queue-max 1024 copy 96
rule 1 allow proto udp
redirect service ips 1 redirect src @clients proto tcp dport 80-443
redirect service ips 2 skip
redirect service web 1 redirect dir egress"
gen=$(sf_fw_gen "$HV")
check "apply what save printed" sf_ctl "$HV" apply -f "$SF_TMP/saved1"
sf_ctl "$HV" save >"$SF_TMP/saved2"
check "save, apply, save: the same text" cmp -s "$SF_TMP/saved1" "$SF_TMP/saved2"
check_eq "and no new generation" "$(sf_fw_gen "$HV")" "$gen"

# swap the slots; drop web's rules and ips's options
cat >"$SF_TMP/swap.conf" <<'CONF'
port p0
set clients 10.9.0.0/24
service ips slot 6
service web slot 4 copy 96
rule 1 allow proto udp
redirect service ips 1 redirect src @clients proto tcp dport 80-443
redirect service ips 2 skip
CONF
check "apply: the services swap slots" sf_ctl "$HV" apply -f "$SF_TMP/swap.conf"
check_eq "swapped" "$(sf_ctl "$HV" save | grep -E '^(service|redirect)')" \
"service web slot 4 failure-policy open timeout 1000 queue-max 1024 copy 96
service ips slot 6 failure-policy open timeout 1000 queue-max 1024 copy full
redirect service ips 1 redirect src @clients proto tcp dport 80-443
redirect service ips 2 skip"

# a file without web: deleted after the commit; ips stays while named
cat >"$SF_TMP/noweb.conf" <<'CONF'
port p0
set clients 10.9.0.0/24
rule 1 allow proto udp
redirect service ips 1 redirect src @clients proto tcp dport 80-443
CONF
check "apply: a file that lists no service" sf_ctl "$HV" apply -f "$SF_TMP/noweb.conf"
check_eq "web deleted, ips kept for its rule" \
	"$(sf_ctl "$HV" save | grep -E '^(service|redirect)')" \
"service ips slot 6 failure-policy open timeout 1000 queue-max 1024 copy full
redirect service ips 1 redirect src @clients proto tcp dport 80-443"

# counters as the kernel reports them: no helper, failure policy open
check "redirect add ips 3: icmp" sf_ctl "$HV" redirect add service ips 3 \
	redirect proto icmp
check "3 pings pass (no helper, failure policy open)" \
	ip netns exec "$WL" ping -c 3 -i 0.1 -W 2 -q 10.9.0.1
check_eq "the rule matched 3 requests and 3 replies" \
	"$(sf_ctl "$HV" -j redirect show service ips | python3 -c '
import json, sys
print([(r["id"], r["packets"]) for r in json.load(sys.stdin)])')" \
	"[(1, 0), (3, 6)]"
check_eq "service show -s: each one failed open for want of a helper" \
	"$(sf_ctl "$HV" -s service show ips | tail -n 4)" \
"    redirected 0 continued 0 dropped 0 timed-out 0 failed-open 6 failed-closed 0
    failures: no-helper 6 queue-full 0 deadline 0 helper-gone 0 failing 0
    flow-continued 0 flow-dropped 0 late 0 rewritten 0 teardown 0
    latency: none"

sf_done
