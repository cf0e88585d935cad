#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run one command as root inside a QEMU VM booted with Debian's stock kernel,
# the host's root file system shared read-only over virtio-9p.
#
#   run.sh [--timeout SECONDS] [--mem MB] [--module FILE.ko]... -- COMMAND [ARGS...]
#
# COMMAND runs in the current directory (same path in the guest); its output
# is streamed to stdout and its exit status is ours. The guest's kernel log
# is saved to ${SF_VM_LOG:-build/vm-dmesg.log}, its console to
# ${SF_VM_CONSOLE:-build/vm-console.log}. Exit 3 if the command passed but
# the kernel log shows a BUG/WARNING/Oops/leak..., 124 if the guest did not
# finish (timeout, panic). Variables SF_*, KSFT_* and V are passed through.
# SF_KVM=0 forces TCG, SF_KVM=1 requires KVM; default: KVM if it works.
# SF_VM_DEBUG=1 boots the debug kernel (debug-kernel.sh) with panic_on_warn=1
# and oops=panic; the run then ends with a kmemleak scan (guest.sh).
set -eu

usage() {
	echo "usage: $0 [--timeout SECONDS] [--mem MB] [--module FILE.ko]... -- COMMAND [ARGS...]" >&2
	exit 2
}
die() { echo "vm: $*" >&2; exit 2; }

timeout=900 mem=1024 modules=()
while [ $# -gt 0 ]; do
	case $1 in
	--timeout) [ $# -ge 2 ] || usage; timeout=$2; shift 2 ;;
	--mem) [ $# -ge 2 ] || usage; mem=$2; shift 2 ;;
	--module) [ $# -ge 2 ] || usage; modules+=("$(realpath "$2")"); shift 2 ;;
	--) shift; break ;;
	*) usage ;;
	esac
done
[ $# -ge 1 ] || usage
[ ${#modules[@]} -gt 0 ] || [ ! -f kmod/slotfilter.ko ] || modules=("$PWD/kmod/slotfilter.ko")
for m in ${modules[@]+"${modules[@]}"}; do [ -f "$m" ] || die "no such module: $m"; done

here=$(cd "$(dirname "$0")" && pwd)
if [ -z "${SF_VM_KERNEL-}" ] || [ -z "${SF_VM_MODDIR-}" ] || [ -z "${SF_VM_INITRD-}" ]; then
	if [ "${SF_VM_DEBUG-}" = 1 ]; then
		env=$("$here/debug-kernel.sh")
	else
		env=$("$here/prepare.sh")
	fi
	eval "$env"
fi
abi=$(basename "$SF_VM_MODDIR")
log=${SF_VM_LOG:-build/vm-dmesg.log}
console=${SF_VM_CONSOLE:-build/vm-console.log}

work=$(mktemp -d "${TMPDIR:-/tmp}/sf-vm.XXXXXX")
trap 'rm -rf "$work"' EXIT
share=$work/share	# /run/sf in the guest
mkdir "$share"
cp "$here/guest.sh" "$share/guest.sh"

# module tree for /lib/modules: the cached one, plus extra/*.ko if given
m=$share/modroot/lib/modules/$abi
mkdir -p "$m"
cp "$SF_VM_MODDIR/modules.devname" "$share/modroot/devname"
if [ ${#modules[@]} -gt 0 ]; then
	for f in kernel modules.order modules.builtin modules.builtin.modinfo; do
		# the debug kernel has no kernel/: everything is built in
		[ ! -e "$SF_VM_MODDIR/$f" ] || ln -s "$SF_VM_MODDIR/$f" "$m/$f"
	done
	mkdir "$m/extra"
	cp "${modules[@]}" "$m/extra/"
	depmod -b "$share/modroot" "$abi"
else
	ln -s "$SF_VM_MODDIR"/* "$m/"
fi

{
	printf 'sf_cwd=%q\nsf_cmd=(' "$PWD"
	printf ' %q' "$@"
	printf ' )\n'
	for n in $(compgen -e); do
		case $n in SF_*|KSFT_*|V) printf 'export %s=%q\n' "$n" "${!n}" ;; esac
	done
} > "$share/job.sh"

kvm_works() {
	[ -w /dev/kvm ] || return 1
	(echo quit | qemu-system-x86_64 -accel kvm -cpu host -machine pc -nodefaults \
		-no-user-config -display none -S -monitor stdio) >/dev/null 2>&1
}
case ${SF_KVM-} in
0) accel=(-accel tcg -cpu max) ;;
1) kvm_works || die "SF_KVM=1 but KVM does not work"; accel=(-accel kvm -cpu host) ;;
*) if kvm_works; then accel=(-accel kvm -cpu host); else accel=(-accel tcg -cpu max); fi ;;
esac

# no_timer_check: under TCG on a busy host the timer IRQ check at boot can
# miss its window and the kernel panics ("IO-APIC + timer doesn't work")
append="console=ttyS0,115200 loglevel=5 log_buf_len=4M panic=-1 tsc=reliable no_timer_check rdinit=/init"
# the debug kernel: the first WARN, KASAN or UBSAN report or Oops ends the run
# (acpi=noirq: with KASAN and lockdep under TCG, evaluating the i440fx's _PRT
# ran into ACPICA's 30 s loop timeout for each PCI device; $PIR does it)
[ "${SF_VM_DEBUG-}" != 1 ] || append="$append panic_on_warn=1 oops=panic acpi=noirq"
append="$append ${SF_VM_APPEND-}"
# shellcheck disable=SC2054 # commas are QEMU option syntax
qemu=(qemu-system-x86_64 -nodefaults -no-user-config -display none -no-reboot
	-machine pc "${accel[@]}" -smp 2 -m "$mem" -nic none
	-kernel "$SF_VM_KERNEL" -initrd "$SF_VM_INITRD" -append "$append"
	-chardev "file,id=con,path=$work/console.log" -serial chardev:con
	-chardev stdio,id=out -device virtio-serial-pci -device virtconsole,chardev=out
	-virtfs local,path=/,mount_tag=sfroot,security_model=none,readonly=on,multidevs=remap
	-virtfs "local,path=$share,mount_tag=sfshare,security_model=none")
# shellcheck disable=SC2206
qemu+=(${SF_VM_QEMU_OPTS-})
[ "${V-}" != 1 ] || echo "vm: ${qemu[*]}" >&2

t0=$(date +%s.%N)
qrc=0
timeout --foreground -k 10 "$timeout" "${qemu[@]}" </dev/null || qrc=$?
t1=$(date +%s.%N)

mkdir -p "$(dirname "$log")" "$(dirname "$console")"
rm -f "$log"
cp "$work/console.log" "$console" 2>/dev/null || : > "$console"
klog=$console
if [ -f "$share/dmesg" ]; then
	cp "$share/dmesg" "$log"
	klog=$log
fi
if [ "${V-}" = 1 ] && [ -f "$share/t_end" ]; then
	awk -v a="$(cat "$share/t_start")" -v b="$(cat "$share/t_end")" -v t0="$t0" -v t1="$t1" \
		'BEGIN { printf "vm: boot %.2f s, command %.2f s, wall clock %.2f s\n", a, b - a, t1 - t0 }' >&2
fi

pat='BUG:|WARNING:|Oops|general protection|refcount_t:|list_add corruption|list_del corruption|unreferenced object|KASAN|UBSAN|kernel BUG|Call Trace'
# A test's `dmesg -C` empties the saved log, but not the console (warnings
# and worse), so look at both.
bad=0 rep=
for f in "$klog" "$console"; do
	if grep -qE "$pat" "$f"; then
		bad=1 rep=$f
		break
	fi
done

if [ ! -f "$share/status" ]; then
	[ "$qrc" != 124 ] || echo "vm: timeout after $timeout s" >&2
	if [ "$bad" = 1 ]; then
		# a panic (panic_on_warn...) or a hang after a report: all of it
		awk -v pat="$pat" 'p || $0 ~ pat { p = 1; print }' "$console" |
			head -n 400 | sed 's/^/vm: console: /' >&2
	else
		tail -n 20 "$console" | sed 's/^/vm: console: /' >&2
	fi
	echo "vm: guest did not finish (console log: $console)" >&2
	exit 124
fi
if [ "$bad" = 1 ]; then
	# the debug kernel's reports (kmemleak, lockdep) come with long traces
	ctx=8 max=300
	[ "${SF_VM_DEBUG-}" != 1 ] || ctx=40 max=600
	grep -E -B 2 -A "$ctx" "$pat" "$rep" | head -n "$max" | sed 's/^/vm: kernel log: /' >&2
fi
rc=$(cat "$share/status")
[ "$bad" = 0 ] || [ "$rc" != 0 ] || rc=3
exit "$rc"
