#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /init of the slotfilter test VM's initramfs (busybox). Mounts the host's
# root read-only over virtio-9p at /newroot, the per-run share (written by
# run.sh) at /run/sf, makes /run, /tmp, /var, /root, /dev writable, puts the
# share's module tree on /lib/modules, then switch_root's into the host root
# and runs /run/sf/guest.sh as pid 1.
# prepare.sh copies the modules listed in MODULES into /lib/modules; the
# debug kernel's initramfs (debug-kernel.sh) has none: they are built in.
MODULES="virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci netfs fscache 9pnet 9pnet_virtio 9p overlay virtio_console"

export PATH=/bin
mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1

fail() {
	echo "vm-init: $*"
	poweroff -f
}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
for m in $MODULES; do
	[ -e "/lib/modules/$m.ko" ] || continue
	insmod "/lib/modules/$m.ko" || fail "insmod $m failed"
done

r=/newroot
opts=trans=virtio,version=9p2000.L,msize=262144
mkdir -p $r
mount -t 9p -o "$opts,ro,cache=loose" sfroot $r || fail "cannot mount the host root"
mount -t tmpfs -o mode=0755 tmpfs $r/run || fail "cannot mount /run"
mkdir -p $r/run/sf $r/run/netns $r/run/lock $r/run/user
mount -t 9p -o "$opts" sfshare $r/run/sf || fail "cannot mount the run share"
mount -o bind $r/run/sf/modroot/lib/modules $r/lib/modules ||
	fail "cannot mount /lib/modules"

# writable tmpfs overlays over host directories
for d in tmp var root; do
	u=$r/run/.sf-rw/$d
	mkdir -p $u/upper $u/work
	mount -t overlay overlay -o lowerdir=$r/$d,upperdir=$u/upper,workdir=$u/work $r/$d ||
		fail "cannot mount /$d"
done

for d in dev proc sys; do
	mount --move /$d $r/$d || fail "cannot move /$d"
done
mkdir -p $r/dev/pts $r/dev/shm
mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts $r/dev/pts
mount -t tmpfs -o mode=1777 tmpfs $r/dev/shm
ln -s /proc/self/fd $r/dev/fd
ln -s /proc/self/fd/0 $r/dev/stdin
ln -s /proc/self/fd/1 $r/dev/stdout
ln -s /proc/self/fd/2 $r/dev/stderr
# device nodes whose first open loads their module (/dev/net/tun...)
grep -v '^#' $r/run/sf/modroot/devname | while read -r _ node dev; do
	mkdir -p "$(dirname "$r/dev/$node")"
	t=${dev%%[0-9]*} n=${dev#?}
	mknod -m 0600 "$r/dev/$node" "$t" "${n%:*}" "${n#*:}"
done
mount -t debugfs debugfs $r/sys/kernel/debug
mount -t tracefs tracefs $r/sys/kernel/tracing
mount -t cgroup2 cgroup2 $r/sys/fs/cgroup
mount -t bpf bpf $r/sys/fs/bpf
echo slotfilter-vm > $r/proc/sys/kernel/hostname
ip link set lo up

exec switch_root $r /bin/bash /run/sf/guest.sh
