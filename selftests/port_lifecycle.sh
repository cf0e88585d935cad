#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A port ends with its device: `ip link del`, a move to another namespace,
# and the deletion of its namespace each detach it, and leave the module
# free to unload (no reference left behind).
#
#     netns $WL             netns $HV
#     w0 10.9.0.2 <-veth-> p0 10.9.0.1 (port)

source "$(dirname "$0")/lib.sh"
sf_require python3
sf_topo

ports()
{
	sf_jq "$1" '[.[].ifname] | join(" ")' port show
}

# ip link del of an attached device
sf_ctl "$HV" port add dev p0
check_eq "p0 attached" "$(ports "$HV")" p0
ip -n "$HV" link del p0
check_eq "ip link del detaches the port" "$(ports "$HV")" ""
check_fails "detach of the deleted device" 1 'slotctl: cannot find device "p0"' \
	sf_ctl "$HV" port del dev p0

# a new device with the same name is not a port
sf_veth "$HV" p0 10.9.0.1 "$WL" w0 10.9.0.2
check_eq "a new p0 is not attached" "$(ports "$HV")" ""
check "traffic through the new p0" \
	ip netns exec "$WL" ping -c 2 -i 0.2 -W 2 -q 10.9.0.1

# moving an attached device to another namespace detaches it
OTHER=sf-other-$SF_RUN
sf_ns "$OTHER"
sf_ctl "$HV" port add dev p0
ip -n "$HV" link set p0 netns "$OTHER"
check_eq "moving p0 away detaches it" "$(ports "$HV")" ""
check_eq "p0 is not a port in its new namespace" "$(ports "$OTHER")" ""
ip -n "$OTHER" link set p0 netns "$HV"

# deleting a namespace with attached ports
NS3=sf-ns3-$SF_RUN
sf_ns "$NS3"
ip -n "$NS3" link add d0 type dummy
ip -n "$NS3" link add d1 type dummy
ip -n "$NS3" link add v0 type veth peer name v1
sf_ctl "$NS3" port add dev d0
sf_ctl "$NS3" port add dev d1
sf_ctl "$NS3" port add dev v0
sf_ctl "$NS3" port add dev v1
check_eq "four ports in the third namespace" \
	"$(ports "$NS3" | tr ' ' '\n' | sort | xargs)" "d0 d1 v0 v1"
ip netns del "$NS3"
check_eq "the host's ports are untouched" "$(ports "$HV")" ""

# nothing holds the module: it unloads, then comes back on demand
check "rmmod with no port left" rmmod slotfilter
check_eq "module gone" "$(grep -c '^slotfilter ' /proc/modules || true)" 0
check "slotctl loads the module on demand" sf_ctl "$HV" port add dev p0
check_eq "module loaded again" "$(grep -c '^slotfilter ' /proc/modules)" 1
check_eq "port attached after reload" "$(ports "$HV")" p0
sf_done
