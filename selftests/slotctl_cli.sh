#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# slotctl as an operator sees it: exact output of `port show` with and
# without -s, the kernel's messages on refusals, usage errors (status 2),
# and an unprivileged caller.
#
#     netns $WL             netns $HV
#     w0 10.9.0.2 <-veth-> p0 10.9.0.1 (port)

source "$(dirname "$0")/lib.sh"
sf_require unshare
sf_topo
idx=$(ip netns exec "$HV" cat /sys/class/net/p0/ifindex)

check "port add dev p0" sf_ctl "$HV" port add dev p0
check_eq "port show" "$(sf_ctl "$HV" port show)" "port p0 ifindex $idx
  ingress: slots: (empty)
  egress:  slots: (empty)"
check_eq "no arguments = port show" "$(sf_ctl "$HV")" "$(sf_ctl "$HV" port show)"

ip netns exec "$WL" ping -c 4 -i 0.1 -W 2 -q 10.9.0.1 >/dev/null
check_eq "port show -s after 4 pings" "$(sf_ctl "$HV" -s port show dev p0)" \
"port p0 ifindex $idx
  ingress: slots: (empty)
    packets 4 bytes 392 drops 0 stolen 0
  egress:  slots: (empty)
    packets 4 bytes 392 drops 0 stolen 0"

check_fails "duplicate attach" 1 \
	"slotctl: File exists: slotfilter: device is already a port" \
	sf_ctl "$HV" port add dev p0
check_fails "detach of a device that is not a port" 1 \
	"slotctl: No such file or directory: slotfilter: device is not a port" \
	sf_ctl "$HV" port del dev lo
check_fails "show of a device that is not a port" 1 \
	"slotctl: No such file or directory: slotfilter: device is not a port" \
	sf_ctl "$HV" port show dev lo
check_fails "unknown device" 1 'slotctl: cannot find device "nosuch0"' \
	sf_ctl "$HV" port add dev nosuch0
check_fails "unknown object" 2 'slotctl: unknown object "bogus"' \
	sf_ctl "$HV" bogus
check_fails "unknown port command" 2 'slotctl: unknown port command "frob"' \
	sf_ctl "$HV" port frob
check_fails "missing dev" 2 'slotctl: missing "dev IFNAME"' \
	sf_ctl "$HV" port add
check_fails "dev without a name" 2 'slotctl: missing argument after "dev"' \
	sf_ctl "$HV" port del dev
check_fails "extra argument" 2 'slotctl: unexpected argument "extra"' \
	sf_ctl "$HV" port show dev p0 extra
check_fails "unknown option" 2 'slotctl: unknown option "-x"' \
	sf_ctl "$HV" -x port show
check_eq "usage errors print the subcommand's usage" \
	"$(sf_ctl "$HV" port frob 2>&1 | sed -n 2p)" "Usage: slotctl port add dev IFNAME"
check "slotctl help" sf_ctl "$HV" help
check "slotctl port help" sf_ctl "$HV" port help

# A user namespace of its own gives no CAP_NET_ADMIN over $HV.
check_fails "unprivileged port del" 1 \
	"slotctl: Operation not permitted: changing slotfilter needs CAP_NET_ADMIN over this network namespace" \
	ip netns exec "$HV" unshare --user "$SLOTCTL" port del dev p0
check_eq "unprivileged port show still reads" \
	"$(ip netns exec "$HV" unshare --user "$SLOTCTL" port show | head -n 1)" \
	"port p0 ifindex $idx"
check_eq "the refused del changed nothing" "$(sf_ctl "$HV" port show | head -n 1)" \
	"port p0 ifindex $idx"

check_eq "JSON is valid and complete" "$(sf_ctl "$HV" -j -p port show | python3 -c '
import json, sys
p = json.load(sys.stdin)
print(len(p), p[0]["ifname"], len(p[0]["ingress"]["slots"]), len(p[0]["egress"]["slots"]))')" "1 p0 12 12"
sf_done
