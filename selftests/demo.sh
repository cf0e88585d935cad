#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make demo`, inside the VM: two workloads on a host bridge, each behind a
# veth whose host end is a slotfilter port; they talk, and the ports'
# counters show what went through, per direction and slot.
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
echo "web 10.9.0.11 --- vm1 [br0] vm2 --- db 10.9.0.12"

step "attach slotfilter to the workloads' host ends"
show port add dev vm1
show port add dev vm2
show port show

step "traffic: ping web -> db, and 4 MiB over TCP db -> web"
ip netns exec "$WL1" ping -c 5 -i 0.2 10.9.0.12
ip netns exec "$WL1" socat -u TCP-LISTEN:8080,reuseaddr OPEN:/dev/null &
for try in $(seq 50); do
	ip netns exec "$WL2" socat -u OPEN:/dev/zero,readbytes=4194304 \
		TCP:10.9.0.11:8080 2>/dev/null && break
	sleep 0.2
done
wait
echo "4 MiB sent"

step "the ports' counters (ingress = from the workload)"
show -s port show
step "the same as JSON"
show -j -p port show dev vm1

step "detach"
show port del dev vm1
show port del dev vm2
show port show
echo "(no ports)"
