# SPDX-License-Identifier: GPL-2.0
#
# Shared helpers of slotfilter's shell selftests. A test sources this file,
# builds its topology with the sf_* helpers, makes its checks with check*,
# and ends with `sf_done`. Namespaces carry the run's id in their names and
# are deleted on exit, whatever happens. Sub-results are TAP lines; the
# test's exit status is 0 (all passed), 1 (a check failed) or 4 (skip).
#
# The standard topology (sf_topo):
#
#     netns $WL (the workload)          netns $HV (the host)
#     +--------------------+            +--------------------+
#     |  w0  10.9.0.2/24   |<--veth---->|  p0  10.9.0.1/24   |  <- the port
#     +--------------------+            +--------------------+
#
# p0 is the host end of the workload's veth: its ingress is traffic from
# the workload. IPv6 is off and neighbours are static, so the only packets
# on the wire are the ones a test sends.

set -eu

readonly ksft_skip=4
SF_TOP=$(cd "$(dirname "$0")/.." && pwd)
SLOTCTL=${SLOTCTL:-$SF_TOP/tools/slotctl/slotctl}
SF_RUN=$$
SF_TMP=$(mktemp -d)
WL=sf-wl-$SF_RUN
HV=sf-hv-$SF_RUN
sf_checks=0
sf_failed=0

sf_cleanup()
{
	local ns

	for ns in $(ip netns list | awk '{print $1}' | grep -- "-$SF_RUN\$" || true); do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
		ip netns del "$ns"
	done
	rm -rf "$SF_TMP"
}
trap sf_cleanup EXIT

sf_skip()
{
	echo "# SKIP: $*"
	exit $ksft_skip
}

sf_require()
{
	local tool

	for tool in "$@"; do
		command -v "$tool" >/dev/null || sf_skip "$tool not installed"
	done
}

# sf_ns NAME: a fresh namespace with lo up, IPv6 off.
sf_ns()
{
	ip netns add "$1"
	ip -n "$1" link set lo up
	ip netns exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1
}

# sf_veth NS_A DEV_A ADDR_A NS_B DEV_B ADDR_B: a veth pair, addressed, up,
# with permanent neighbour entries on both ends.
sf_veth()
{
	local mac_a mac_b

	ip -n "$1" link add "$2" type veth peer name "$5" netns "$4"
	ip -n "$1" addr add "$3/24" dev "$2"
	ip -n "$4" addr add "$6/24" dev "$5"
	ip -n "$1" link set "$2" up
	ip -n "$4" link set "$5" up
	mac_a=$(ip netns exec "$1" cat "/sys/class/net/$2/address")
	mac_b=$(ip netns exec "$4" cat "/sys/class/net/$5/address")
	ip -n "$1" neigh replace "$6" lladdr "$mac_b" dev "$2" nud permanent
	ip -n "$4" neigh replace "$3" lladdr "$mac_a" dev "$5" nud permanent
}

sf_topo()
{
	sf_ns "$WL"
	sf_ns "$HV"
	sf_veth "$HV" p0 10.9.0.1 "$WL" w0 10.9.0.2
}

# sf_topo6: the standard topology with IPv6 as well: fd00::1 on p0,
# fd00::2 on w0, static neighbours, no DAD.
sf_topo6()
{
	local ns dev mac_p mac_w

	sf_topo
	for ns in "$HV" "$WL"; do
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=0 \
			net.ipv6.conf.default.disable_ipv6=0
	done
	ip netns exec "$HV" sysctl -qw net.ipv6.conf.p0.disable_ipv6=0
	ip netns exec "$WL" sysctl -qw net.ipv6.conf.w0.disable_ipv6=0
	ip -n "$HV" addr add fd00::1/64 dev p0 nodad
	ip -n "$WL" addr add fd00::2/64 dev w0 nodad
	mac_p=$(ip netns exec "$HV" cat /sys/class/net/p0/address)
	mac_w=$(ip netns exec "$WL" cat /sys/class/net/w0/address)
	ip -n "$HV" neigh replace fd00::2 lladdr "$mac_w" dev p0 nud permanent
	ip -n "$WL" neigh replace fd00::1 lladdr "$mac_p" dev w0 nud permanent
}

# sf_serve NS PROTO ADDR PORT: a probe.py server in the background, ready
# when this returns; killed with the namespace.
sf_serve()
{
	local fifo

	fifo=$(mktemp -u)
	mkfifo "$fifo"
	ip netns exec "$1" python3 "$SF_TOP/selftests/probe.py" serve \
		"$2" "$3" "$4" >"$fifo" &
	read -r _ <"$fifo"
	rm -f "$fifo"
}

# sf_wait_line FILE TEXT [N]: waits (30 s at most) for N (1) lines of FILE
# holding TEXT; if they do not come, says so and shows FILE, and fails.
sf_wait_line()
{
	local i

	for i in $(seq 300); do
		[ "$(grep -cF -- "$2" "$1" 2>/dev/null)" -ge "${3:-1}" ] && return 0
		sleep 0.1
	done
	echo "# $1 has fewer than ${3:-1} lines with: $2"
	sed 's/^/#   /' "$1"
	return 1
}

# sf_probe NS PROTO ADDR PORT [PAYLOAD]: what a client sees (see probe.py).
sf_probe()
{
	ip netns exec "$1" python3 "$SF_TOP/selftests/probe.py" "$2" "$3" "$4" ${5+"$5"}
}

# slotctl run in a namespace: sf_ctl NS ARGS...
sf_ctl()
{
	local ns=$1

	shift
	ip netns exec "$ns" "$SLOTCTL" "$@"
}

# sf_jq NS FILTER ARGS...: `slotctl -j ARGS...` in NS through `jq -r
# FILTER` (jq starts in a fraction of python3's time under emulation).
sf_jq()
{
	local ns=$1 filter=$2

	shift 2
	sf_ctl "$ns" -j "$@" | jq -r "$filter"
}

# sf_counter NS DEV DIRECTION FIELD [SLOT]: one counter from `slotctl -j`.
sf_counter()
{
	sf_ctl "$1" -j port show dev "$2" |
		jq -r --arg d "$3" --arg f "$4" --arg s "${5-}" \
			'.[0][$d] | if $s == "" then . else .slots[$s | tonumber] end | .[$f]'
}

# sf_fw_gen NS: the generation of NS's firewall ruleset.
sf_fw_gen()
{
	sf_jq "$1" .generation fw show
}

# sf_devstat NS DEV FIELD: the device's own counter (rx_packets, ...).
sf_devstat()
{
	ip netns exec "$1" cat "/sys/class/net/$2/statistics/$3"
}

# check DESCRIPTION COMMAND...: one TAP sub-result.
check()
{
	local desc=$1

	shift
	sf_checks=$((sf_checks + 1))
	if "$@"; then
		echo "ok $sf_checks - $desc"
	else
		echo "not ok $sf_checks - $desc"
		sf_failed=$((sf_failed + 1))
	fi
}

# check_eq DESCRIPTION GOT WANT
check_eq()
{
	if [ "$2" = "$3" ]; then
		check "$1" true
	else
		echo "# $1: got '$2', want '$3'"
		check "$1" false
	fi
}

# check_fails DESCRIPTION WANT_STATUS WANT_STDERR COMMAND...: the command
# exits with WANT_STATUS and prints exactly WANT_STDERR as its first line
# of standard error.
check_fails()
{
	local desc=$1 want_rc=$2 want_err=$3 rc=0 err

	shift 3
	err=$("$@" 2>&1 >/dev/null) || rc=$?
	check_eq "$desc: exit status" "$rc" "$want_rc"
	check_eq "$desc: message" "$(printf '%s\n' "$err" | head -n 1)" "$want_err"
}

sf_done()
{
	echo "1..$sf_checks"
	[ "$sf_checks" -gt 0 ] || { echo "# no checks ran"; exit 1; }
	[ "$sf_failed" -eq 0 ]
}

# sf_module_unload: remove the module if no port holds it.
sf_module_unload()
{
	if grep -q '^slotfilter ' /proc/modules; then
		rmmod slotfilter
	fi
}
