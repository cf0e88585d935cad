#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Stage 2 of the slotfilter test VM: init.sh switch_root's into the host's
# root (read-only 9p, writable /run /tmp /var /root) and runs this as pid 1
# from the per-run share /run/sf. It runs the job that run.sh wrote to
# /run/sf/job.sh with its output on hvc0 (the host's stdout), saves the
# kernel log and the exit code to /run/sf and powers off.
# No "set -e": pid 1 must always reach the power-off. Busybox applets are
# used where they save time (dynamic executables are slow under TCG).
set -u
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TERM=dumb LANG=C.UTF-8 SF_VM_GUEST=1
sf=/run/sf

off() {
	sync
	busybox poweroff -f
	echo o > /proc/sysrq-trigger
	while :; do sleep 60; done
}

# shellcheck source=/dev/null
. $sf/job.sh || { echo "vm-guest: cannot read $sf/job.sh"; off; }

# the job's output goes to hvc0, raw (no \r added)
exec 3<>/dev/hvc0
busybox stty -F /dev/hvc0 raw -echo
read -r up _ < /proc/uptime; echo "$up" > $sf/t_start
# shellcheck disable=SC2154 # sf_cwd, sf_cmd: from job.sh
(cd "$sf_cwd" && exec "${sf_cmd[@]}") </dev/null >&3 2>&3
rc=$?
read -r up _ < /proc/uptime; echo "$up" > $sf/t_end
busybox stty -F /dev/hvc0 raw -echo	# TCSADRAIN: flushes hvc0
exec 3>&-

# kmemleak (debug kernel) reports an object that is at least 5 s old and
# was unreferenced, with unchanged contents, in two consecutive scans: scan,
# wait until the command's last allocations are 5 s old, scan again.
if [ -w /sys/kernel/debug/kmemleak ]; then
	echo scan > /sys/kernel/debug/kmemleak
	read -r now _ < /proc/uptime
	sleep "$(awk -v a="$up" -v b="$now" 'BEGIN { d = a + 5.5 - b; print (d > 0 ? d : 0) }')"
	echo scan > /sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak > $sf/kmemleak
fi
dmesg > $sf/dmesg
[ ! -s $sf/kmemleak ] || cat $sf/kmemleak >> $sf/dmesg
echo "$rc" > $sf/status.tmp && mv $sf/status.tmp $sf/status
off
