#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fuzz the generic netlink family while ping floods cross attached ports
# and the configuration changes, then check that the module still works,
# that what it reports matches the devices that exist, and that it unloads.
#
#     netns $WL                 netns $HV                 netns $WL2
#     w0 10.9.0.2 <-veth-> p0 10.9.0.1   p1 10.9.1.1 <-veth-> w1 10.9.1.2
#     (port)               (port)        (port)
#                          nlfuzz: 4 workers, 1 unprivileged, churn
#     nlfuzz: 1 worker     (dummies fz*, attached, detached, deleted,
#                           renamed, moved to $AUX and attached there)
#
# Both floods run through attached ports; the churn threads detach and
# re-attach p0, p1 and w0 under them. $AUX is deleted with the ports the
# churn left in it. Afterwards every port left must be a device that
# exists; they are removed, the dumps must be empty, and the fuzzed
# namespaces are deleted with whatever other state the fuzzers left. A
# fresh pair ($A a0, a1 <-veth-> $B b0, b1) then checks attach, detach,
# dump and counters, and the module must unload with a0 attached.
#
# Environment: SF_FUZZ_DURATION (seconds, default 30), SF_FUZZ_THREADS
# (workers of the host's fuzzer, default 4), SF_FUZZ_SEED (default random,
# printed), SF_FUZZ_FLOOD (ping's pace, default -f; -i 0.01 on the debug
# kernel, SF_VM_DEBUG=1, which a flood under emulation starves), NLFUZZ
# (the binary, default tools/fuzz/nlfuzz).

source "$(dirname "$0")/lib.sh"
sf_require python3 ping
NLFUZZ=${NLFUZZ:-$SF_TOP/tools/fuzz/nlfuzz}
[ -x "$NLFUZZ" ] || sf_skip "$NLFUZZ not built (make -C tools/fuzz)"
[ -x "$SLOTCTL" ] || sf_skip "$SLOTCTL not built (make -C tools)"
duration=${SF_FUZZ_DURATION:-30}
threads=${SF_FUZZ_THREADS:-4}
seed=${SF_FUZZ_SEED:+--seed $SF_FUZZ_SEED}
WL2=sf-wl2-$SF_RUN
AUX=sf-aux-$SF_RUN

sf_topo
sf_ns "$WL2"
sf_ns "$AUX"
sf_veth "$HV" p1 10.9.1.1 "$WL2" w1 10.9.1.2
modprobe slotfilter
sf_ctl "$HV" port add dev p0
sf_ctl "$HV" port add dev p1
sf_ctl "$WL" port add dev w0

# ports NS: "ifindex:ifname" of every port, ascending ifindex
ports()
{
	sf_ctl "$1" -j port show | python3 -c '
import json, sys
print(" ".join("%d:%s" % (p["ifindex"], p["ifname"]) for p in json.load(sys.stdin)))'
}

# devices NS: "ifindex:ifname" of every device of the netns
devices()
{
	ip -n "$1" -j link show | python3 -c '
import json, sys
print(" ".join("%d:%s" % (d["ifindex"], d["ifname"]) for d in json.load(sys.stdin)))'
}

fails()
{
	! "$@" 2>/dev/null
}

quiet()
{
	"$@" >/dev/null
}

# ports_are_devices NS: every port is a device of NS, same ifindex and name
ports_are_devices()
{
	local p devs

	devs=" $(devices "$1") "
	for p in $(ports "$1"); do
		case $devs in
		*" $p "*) ;;
		*) echo "# $1: port $p is no device of the netns"; return 1 ;;
		esac
	done
}

# A flood starves the fuzzers of a debug kernel under emulation: pace it.
if [ "${SF_VM_DEBUG-}" = 1 ]; then
	flood=${SF_FUZZ_FLOOD:--i 0.01}
else
	flood=${SF_FUZZ_FLOOD:--f}
fi
flood_s=$((duration + 5))
# shellcheck disable=SC2086
ip netns exec "$WL" ping $flood -q -w "$flood_s" 10.9.0.1 >/dev/null 2>&1 &
flood0=$!
# shellcheck disable=SC2086
ip netns exec "$WL2" ping $flood -q -w "$flood_s" 10.9.1.1 >/dev/null 2>&1 &
flood1=$!

# the host's fuzzer, and a small one in the workload's netns at once
rc_wl=$(mktemp)
# shellcheck disable=SC2086
{
	ip netns exec "$WL" "$NLFUZZ" --duration "$duration" --threads 1 \
		--no-unpriv --devices 4 --dev w0 $seed 2>&1
	echo $? >"$rc_wl"
} | sed 's/^/# wl: /' &
fuzz_wl=$!
# shellcheck disable=SC2086
ip netns exec "$HV" "$NLFUZZ" --duration "$duration" --threads "$threads" \
	--dev p0 --dev p1 --netns "/run/netns/$AUX" $seed 2>&1 |
	sed 's/^/# hv: /'
rc_hv=${PIPESTATUS[0]}
wait $fuzz_wl
check_eq "fuzzer in $HV found no problem (exit status)" "$rc_hv" 0
check_eq "fuzzer in $WL found no problem (exit status)" "$(cat "$rc_wl")" 0
rm -f "$rc_wl"
check "the kernel still answers" quiet sf_ctl "$HV" port show
wait $flood0 $flood1 || true

# what is left must be real: ports of devices that exist, no dummy left
check "$HV: every port is a device" ports_are_devices "$HV"
check "$WL: every port is a device" ports_are_devices "$WL"
for ns in "$HV" "$WL"; do
	check_eq "$ns: the fuzzer removed its devices" \
		"$(devices "$ns" | tr ' ' '\n' | grep -c ':fz' || true)" 0
done
ip netns del "$AUX"
check "$HV: deleting $AUX with ports in it left the rest alone" \
	ports_are_devices "$HV"

# remove everything, then the dumps must be empty
for ns in "$HV" "$WL"; do
	for p in $(ports "$ns"); do
		sf_ctl "$ns" port del dev "${p#*:}"
	done
	check_eq "$ns: no port after removing them all" "$(ports "$ns")" ""
done

# the namespaces the fuzzers worked in go, with whatever state they left
ip netns del "$WL2"
ip netns del "$WL"
ip netns del "$HV"

# the module works as before the storm, in namespaces it has not seen
A=sf-a-$SF_RUN
B=sf-b-$SF_RUN
sf_ns "$A"
sf_ns "$B"
sf_veth "$A" a0 10.9.2.1 "$B" b0 10.9.2.2
sf_veth "$A" a1 10.9.3.1 "$B" b1 10.9.3.2
a0=$(ip netns exec "$A" cat /sys/class/net/a0/ifindex)
a1=$(ip netns exec "$A" cat /sys/class/net/a1/ifindex)
check "attach a0" sf_ctl "$A" port add dev a0
check "attach a1" sf_ctl "$A" port add dev a1
check "attach a0 twice fails" fails sf_ctl "$A" port add dev a0
check_eq "dump lists a0 and a1" "$(ports "$A")" \
	"$(printf '%s\n' "$a0:a0" "$a1:a1" | sort -n | xargs)"
check "ping through a0" quiet ip netns exec "$B" ping -c 3 -i 0.2 -W 2 -q 10.9.2.1
check "a0 counts the ping" test "$(sf_counter "$A" a0 ingress packets)" -ge 3
check "detach a1" sf_ctl "$A" port del dev a1
check_eq "dump lists a0 alone" "$(ports "$A")" "$a0:a0"
check_eq "$B: no port" "$(ports "$B")" ""

# nothing the fuzzers did holds the module (a0 stays attached)
check "rmmod slotfilter" rmmod slotfilter
check_eq "module gone" "$(grep -c '^slotfilter ' /proc/modules || true)" 0
check "ping after rmmod" quiet ip netns exec "$B" ping -c 2 -i 0.2 -W 2 -q 10.9.2.1
sf_done
