#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fill the test VM's build cache (${SF_CACHE:-$HOME/.cache/slotfilter}):
#   kernel/<abi>_<version>/     Debian's kernel (boot/, vmlinux) and modules
#                               (lib/modules/<abi>, depmod'ed)
#   kselftest/<version>/        kselftest framework from linux-source-6.1
#   initramfs/<abi>_<version>-<hash>.cpio.gz   busybox initramfs (init.sh)
# Every entry is built in a temporary directory, stamped, then renamed, so a
# partial entry is never used; keys change whenever the inputs change.
# Progress goes to stderr. stdout gets only the shell assignments
# SF_VM_KERNEL, SF_VM_MODDIR, SF_VM_INITRD and SF_KSFT_DIR: on one line, or
# one per line with --print-env.
set -eu

usage() { echo "usage: $0 [--print-env]" >&2; exit 2; }
sep=' '
case ${1-} in
--print-env) sep=$'\n' ;;
'') ;;
*) usage ;;
esac

here=$(cd "$(dirname "$0")" && pwd)
cache=${SF_CACHE:-$HOME/.cache/slotfilter}
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)

say() { echo "prepare: $*" >&2; }
die() { echo "prepare: error: $*" >&2; exit 1; }
pkgver() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || die "package $1 is not installed (run selftests/vm/deps.sh)"; }

# mktmp DEST: a fresh temporary directory next to DEST
mktmp() { mkdir -p "$(dirname "$1")" && mktemp -d "$1.tmp.XXXXXX"; }
# commit TMP DEST: stamp TMP and rename it to DEST (another run may win)
commit() {
	date -u +%FT%TZ > "$1/stamp"
	mv -T "$1" "$2" 2>/dev/null || { [ -f "$2/stamp" ] && rm -rf "$1"; } ||
		die "cannot create $2"
}
# ready DEST: DEST is complete; a leftover without stamp is removed
ready() {
	[ -f "$1/stamp" ] && return 0
	rm -rf "$1"
	return 1
}

# --- kernel: the image matching the installed linux-headers-amd64 ---
hdr=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null |
	grep -o 'linux-headers-[0-9][^ ,]*-amd64' | head -n1) ||
	die "linux-headers-amd64 is not installed (run selftests/vm/deps.sh)"
abi=${hdr#linux-headers-}
kver=$(pkgver "$hdr")
kkey=${abi}_$kver
kdir=$cache/kernel/$kkey
if ! ready "$kdir"; then
	say "downloading linux-image-$abi $kver"
	tmp=$(mktmp "$kdir")
	get() { (cd "$tmp" && apt-get download -q -o APT::Sandbox::User=root "linux-image-$abi=$kver" >&2); }
	get || { apt-get update -q >&2 && get; } || die "cannot download linux-image-$abi=$kver"
	deb=$(echo "$tmp"/linux-image-*.deb)
	[ "$(dpkg-deb -f "$deb" Version)" = "$kver" ] || die "$deb is not version $kver"
	say "extracting $(basename "$deb")"
	dpkg-deb -x "$deb" "$tmp"
	rm -rf "$deb" "${tmp:?}/usr"
	depmod -b "$tmp" "$abi"
	commit "$tmp" "$kdir"
fi
moddir=$kdir/lib/modules/$abi
# The uncompressed vmlinux boots via PVH, skipping a ~2 s xz decompression
# under TCG; fall back to the bzImage if it has no PVH entry note.
kernel=$kdir/vmlinux
if [ ! -f "$kernel" ]; then
	say "extracting vmlinux from vmlinuz-$abi"
	tmp=$(mktemp "$kernel.XXXXXX")
	python3 - "$kdir/boot/vmlinuz-$abi" "$tmp" <<'PY'
import lzma, sys
data = open(sys.argv[1], "rb").read()
out = lzma.LZMADecompressor().decompress(data[data.index(b"\xfd7zXZ\0"):])
open(sys.argv[2], "wb").write(out)
PY
	if readelf -n "$tmp" 2>/dev/null | grep -q 'Xen.*(0x00000012)'; then
		mv "$tmp" "$kernel"
	else
		rm -f "$tmp"
		ln -sf "boot/vmlinuz-$abi" "$kernel"
	fi
fi

# --- kselftest framework from Debian's linux-source-6.1 ---
sver=$(pkgver linux-source-6.1)
sdir=$cache/kselftest/$sver
ksft=tools/testing/selftests
if ! ready "$sdir"; then
	src=/usr/src/linux-source-6.1.tar.xz
	say "extracting the kselftest framework from $src"
	tmp=$(mktmp "$sdir")
	tar -xJf "$src" -C "$tmp" --strip-components=1 --wildcards \
		"linux-source-6.1/$ksft/kselftest*" "linux-source-6.1/$ksft/lib.mk"
	[ -f "$tmp/$ksft/kselftest_harness.h" ] || die "kselftest_harness.h missing in $src"
	commit "$tmp" "$sdir"
fi

# --- initramfs: busybox + the 9p modules + init.sh ---
busybox=$(command -v busybox) || die "busybox not found (install busybox-static)"
ihash=$(cat "$here/init.sh" "$busybox" | sha256sum | cut -c1-16)
initrd=$cache/initramfs/$kkey-$ihash.cpio.gz
if [ ! -f "$initrd" ]; then
	say "building initramfs $(basename "$initrd")"
	tmp=$(mktmp "$initrd")
	mkdir -p "$tmp/root/bin" "$tmp/root/lib/modules" "$tmp/root/dev" \
		"$tmp/root/proc" "$tmp/root/sys"
	cp "$busybox" "$tmp/root/bin/busybox"
	for a in $("$busybox" --list); do
		[ "$a" = busybox ] || ln -s busybox "$tmp/root/bin/$a"
	done
	install -m 0755 "$here/init.sh" "$tmp/root/init"
	for m in $(sed -n 's/^MODULES="\(.*\)"$/\1/p' "$here/init.sh"); do
		f=$(modinfo -b "$kdir" -k "$abi" -n "$m") || die "module $m not found"
		cp "$f" "$tmp/root/lib/modules/$m.ko"
	done
	(cd "$tmp/root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) |
		gzip -1 > "$tmp/initrd"
	mv "$tmp/initrd" "$initrd"
	rm -rf "$tmp"
fi

printf 'SF_VM_KERNEL=%q%sSF_VM_MODDIR=%q%sSF_VM_INITRD=%q%sSF_KSFT_DIR=%q\n' \
	"$kernel" "$sep" "$moddir" "$sep" "$initrd" "$sep" "$sdir/$ksft"
