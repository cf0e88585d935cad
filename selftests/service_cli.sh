#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Services through slotctl, as an operator sees them: exact output of
# `service show` (text, -s, JSON), the slot kinds in `port show`, the
# kernel's messages on refusals, usage errors, and apply/save with
# service lines: the round trip changes nothing, a slot swap, unlisted
# services deleted, file errors with their line and column. Redirect
# rules: redirect_cli.sh.
#
#     netns $WL             netns $HV
#     w0 10.9.0.2 <-veth-> p0 10.9.0.1 (port)

source "$(dirname "$0")/lib.sh"
sf_require python3
sf_topo

check "port add dev p0" sf_ctl "$HV" port add dev p0
check_eq "no services" "$(sf_ctl "$HV" service show)" ""
check_eq "no services, JSON" "$(sf_ctl "$HV" -j service show)" "[]"

# ---- service add, set, del, show ----
check "service add ips" sf_ctl "$HV" service add ips slot 4
check "service add web with every option" sf_ctl "$HV" service add web \
	slot 6 failure-policy closed timeout 50 queue-max 10 copy 128
check_eq "service show" "$(sf_ctl "$HV" service show)" \
"service ips slot 4 failure-policy open timeout 1000 queue-max 1024 copy full
  state no-helper held 0 most-held 0 redirect-rules 0
service web slot 6 failure-policy closed timeout 50 queue-max 10 copy 128
  state no-helper held 0 most-held 0 redirect-rules 0"
check_eq "service show -s web" "$(sf_ctl "$HV" -s service show web)" \
"service web slot 6 failure-policy closed timeout 50 queue-max 10 copy 128
  state no-helper held 0 most-held 0 redirect-rules 0
    redirected 0 continued 0 dropped 0 timed-out 0 failed-open 0 failed-closed 0
    failures: no-helper 0 queue-full 0 deadline 0 helper-gone 0 failing 0
    flow-continued 0 flow-dropped 0 late 0 rewritten 0 teardown 0
    latency: none"
check "service show -j" python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert [s["name"] for s in d] == ["ips", "web"], d
w = d[1]
assert (w["slot"], w["failure-policy"], w["timeout"], w["queue-max"], w["copy"]) == (6, "closed", 50, 10, 128), w
assert w["state"] == "no-helper" and w["gso"] is False and w["held"] == 0
assert len(w["counters"]) == 16 and set(w["counters"].values()) == {0}
assert w["latency"] == [0] * 24
assert d[0]["copy"] is None
' "$(sf_ctl "$HV" -j service show)"
check_eq "port show: both service slots, both directions" \
	"$(sf_ctl "$HV" port show dev p0 | tail -n 2)" \
"  ingress: slots: 4 service 6 service
  egress:  slots: 4 service 6 service"

check_fails "a second service of a name" 1 \
	'slotctl: File exists: a service of this name exists' \
	sf_ctl "$HV" service add ips slot 5
check_fails "a taken slot" 1 \
	'slotctl: File exists: another service is at this slot' \
	sf_ctl "$HV" service add ids slot 6
check_fails "set: a taken slot" 1 \
	'slotctl: File exists: another service is at this slot' \
	sf_ctl "$HV" service set ips slot 6
check_fails "set: no such service" 1 \
	'slotctl: No such file or directory: no service of this name' \
	sf_ctl "$HV" service set nosuch timeout 5
check_fails "show: no such service" 1 \
	'slotctl: No such file or directory: no service of this name' \
	sf_ctl "$HV" service show nosuch
check_fails "del: no such service" 1 \
	'slotctl: No such file or directory: no service of this name' \
	sf_ctl "$HV" service del nosuch
check_fails "slot out of range" 2 'slotctl: slot 12 out of range (4-11)' \
	sf_ctl "$HV" service add ids slot 12
check_fails "add without slot" 2 'slotctl: missing "slot N" (4-11)' \
	sf_ctl "$HV" service add ids
check_fails "set with nothing to change" 2 \
	'slotctl: nothing to change for service "ips"' \
	sf_ctl "$HV" service set ips

check "service set ips: move it, change options" sf_ctl "$HV" service set \
	ips slot 8 timeout 200 failure-policy closed copy 64
check_eq "service show ips after set" "$(sf_ctl "$HV" service show ips)" \
"service ips slot 8 failure-policy closed timeout 200 queue-max 1024 copy 64
  state no-helper held 0 most-held 0 redirect-rules 0"
check_eq "port show after the move" \
	"$(sf_ctl "$HV" port show dev p0 | tail -n 2)" \
"  ingress: slots: 6 service 8 service
  egress:  slots: 6 service 8 service"

# ---- apply and save ----
cat >"$SF_TMP/svc.conf" <<'CONF'
port p0
service ips slot 4 failure-policy closed timeout 250
service web slot 6 copy 96
rule 1 allow proto udp
CONF
check "apply a file with services" sf_ctl "$HV" apply -f "$SF_TMP/svc.conf"
sf_ctl "$HV" save >"$SF_TMP/saved1"
check_eq "saved services" "$(grep -E '^(service|rule)' "$SF_TMP/saved1")" \
"service ips slot 4 failure-policy closed timeout 250 queue-max 1024 copy full
service web slot 6 failure-policy open timeout 1000 queue-max 1024 copy 96
rule 1 allow proto udp"
gen=$(sf_fw_gen "$HV")
check "apply what save printed" sf_ctl "$HV" apply -f "$SF_TMP/saved1"
sf_ctl "$HV" save >"$SF_TMP/saved2"
check "save, apply, save: the same text" cmp -s "$SF_TMP/saved1" "$SF_TMP/saved2"
check_eq "and no new generation" "$(sf_fw_gen "$HV")" "$gen"

# swap the slots: one moves through a free slot
cat >"$SF_TMP/swap.conf" <<'CONF'
port p0
service ips slot 6
service web slot 4 copy 96
rule 1 allow proto udp
CONF
check "apply: the services swap slots" sf_ctl "$HV" apply -f "$SF_TMP/swap.conf"
check_eq "swapped" "$(sf_ctl "$HV" save | grep '^service')" \
"service web slot 4 failure-policy open timeout 1000 queue-max 1024 copy 96
service ips slot 6 failure-policy open timeout 1000 queue-max 1024 copy full"

# a service the file does not list is deleted
cat >"$SF_TMP/noweb.conf" <<'CONF'
port p0
service ips slot 6
rule 1 allow proto udp
CONF
check "apply: a file without web" sf_ctl "$HV" apply -f "$SF_TMP/noweb.conf"
check_eq "web deleted" "$(sf_ctl "$HV" save | grep '^service')" \
"service ips slot 6 failure-policy open timeout 1000 queue-max 1024 copy full"
check_eq "port show: ips at 6 only" \
	"$(sf_ctl "$HV" port show dev p0 | tail -n 2)" \
"  ingress: slots: 2 firewall 6 service
  egress:  slots: 2 firewall 6 service"

gen=$(sf_fw_gen "$HV")
cat >"$SF_TMP/bad.conf" <<'CONF'
service ids slot 5
service ips2 slot 5
service x slot 13
redirect service nosuch 1 redirect
redirect service ids 1 redirect log
redirect service ids 2 skip
redirect service ids 2 redirect
CONF
check_fails "a file with errors: the first" 1 \
	"$SF_TMP/bad.conf:2:19: slot 5 taken by service \"ids\" (line 1)" \
	sf_ctl "$HV" apply -f "$SF_TMP/bad.conf"
check_eq "every error, in order" \
	"$(sf_ctl "$HV" apply -f "$SF_TMP/bad.conf" 2>&1 || true)" \
"$SF_TMP/bad.conf:2:19: slot 5 taken by service \"ids\" (line 1)
$SF_TMP/bad.conf:3:16: slot 13 out of range (4-11)
$SF_TMP/bad.conf:4:18: unknown service \"nosuch\"
$SF_TMP/bad.conf:5:33: redirect rules do not log
$SF_TMP/bad.conf:7:22: duplicate redirect rule id 2 of service \"ids\" (first at line 6)"
check_eq "nothing of it applied" "$(sf_fw_gen "$HV") $(sf_ctl "$HV" service show | grep -c '^service')" "$gen 1"

sf_done
