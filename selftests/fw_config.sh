#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The firewall's configuration through slotctl: save's output applied again
# changes nothing; a 1 MiB file with an error on its last line is refused
# whole, naming the line and column; bad words on the command line get
# their exact message and change nothing.
#
#     netns $WL             netns $HV
#     w0 10.9.0.2 <-veth-> p0 10.9.0.1 (port)

source "$(dirname "$0")/lib.sh"
sf_require python3
sf_topo

cat >"$SF_TMP/fw.conf" <<'CONF'
port p0 tags web,prod
set admins 10.9.0.0/24, 192.0.2.0/28,
	2001:db8::/64
firewall default drop
firewall option tcp-strict on
firewall option existing-flows reevaluate
firewall timeout udp 30
firewall flow-max 1000
rule 10 allow dir ingress applied-to tag web src @admins proto tcp dport 22 log
rule 20 reject dir egress applied-to port p0 proto udp dport 1000-2000
rule 30 allow proto icmpv6 icmp-type 128
rule 40 drop dst 2001:db8::/32
CONF
check "apply a file" sf_ctl "$HV" apply -f "$SF_TMP/fw.conf"
sf_ctl "$HV" save >"$SF_TMP/saved1"
gen=$(sf_fw_gen "$HV")
check "apply what save printed" sf_ctl "$HV" apply -f "$SF_TMP/saved1"
sf_ctl "$HV" save >"$SF_TMP/saved2"
check "save, apply, save: the same text" cmp -s "$SF_TMP/saved1" "$SF_TMP/saved2"
check_eq "and no new generation" "$(sf_fw_gen "$HV")" "$gen"
check_eq "the saved rules" "$(grep '^rule' "$SF_TMP/saved1")" \
"rule 10 allow dir ingress applied-to tag web src @admins proto tcp dport 22 log
rule 20 reject dir egress applied-to port p0 proto udp dport 1000-2000
rule 30 allow proto icmpv6 icmp-type 128
rule 40 drop dst 2001:db8::/32"

# About 1 MiB of rules, the last line broken.
awk 'BEGIN {
	print "port p0"
	print "firewall default allow"
	for (i = 1; i <= 20000; i++)
		printf "rule %d drop src 172.16.%d.%d proto udp dport %d-%d log\n",
		       i, int(i / 256), i % 256, 1000 + i % 1000, 2000 + i % 1000
	print "rule 20001 allow proto tcp dport 80-"
}' >"$SF_TMP/big.conf"
size=$(stat -c %s "$SF_TMP/big.conf")
check "the big file is over 1 MiB" test "$size" -gt 1048576
check_fails "a 1 MiB file broken on its last line" 1 \
	"$SF_TMP/big.conf:20003:37: invalid port \"\"" \
	sf_ctl "$HV" apply -f "$SF_TMP/big.conf"
check_eq "nothing of it applied" "$(sf_fw_gen "$HV") $(sf_ctl "$HV" save | grep -c '^rule')" "$gen 4"

# Bad words on the command line: exact message, exit status, no change.
check_fails "reversed port range" 2 'slotctl: invalid port range "90-80": start above end' \
	sf_ctl "$HV" fw rule add 50 allow proto tcp dport 90-80
check_fails "IPv4 prefix length out of range" 2 \
	'slotctl: prefix length 33 out of range for IPv4' \
	sf_ctl "$HV" fw rule add 50 allow src 10.0.0.0/33
check_fails "IPv6 prefix length out of range" 2 \
	'slotctl: prefix length 129 out of range for IPv6' \
	sf_ctl "$HV" fw rule add 50 allow dst 2001:db8::/129
check_fails "unknown set" 1 \
	'slotctl: No such file or directory: no set of this name' \
	sf_ctl "$HV" fw rule add 50 allow src @nosuch
check_fails "duplicate rule id" 1 \
	'slotctl: rule 10 exists already' \
	sf_ctl "$HV" fw rule add 10 allow proto udp
check_eq "none of them changed the ruleset" "$(sf_fw_gen "$HV")" "$gen"
sf_done
