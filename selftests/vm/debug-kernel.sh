#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build (once) and cache the debug kernel of the slotfilter test VM: Debian
# 13's linux-source-6.12, allnoconfig + the fragments in kconfig/ (all the
# VM needs built in; KASAN, UBSAN, lockdep, kmemleak, fault injection),
# compiled with this machine's gcc.
#
#   debug-kernel.sh [--print-env] [--update] [--fallback]
#
#   --print-env  one assignment per line instead of all on one line
#   --update     refresh the private trixie package lists first (a newer
#                linux-source-6.12 then means a new build); without it the
#                lists fetched by the first run are used, so cached runs
#                need no network
#   --fallback   build Debian 12's linux-source-6.1 (/usr/src) instead, with
#                kconfig/fallback-6.1.cfg added; used automatically, with a
#                warning, when trixie cannot be reached
#
# stdout: SF_VM_KERNEL SF_VM_MODDIR SF_VM_INITRD SF_VM_KDIR SF_VM_DEBUG=1,
# eval-able; with them run.sh boots this kernel (and adds panic_on_warn...),
# and `make -C $SF_VM_KDIR M=...` builds a module for it. Progress on stderr.
#
# Cache (${SF_CACHE:-$HOME/.cache/slotfilter}/debug-kernel/):
#   apt/                  private apt sources.list, lists and package cache
#                         (the machine's /etc/apt and /var/lib/apt are never
#                         touched)
#   src/                  the downloaded linux-source-6.12_<version>_all.deb
#   <key>/linux/          the built tree (vmlinux, Module.symvers; = KDIR)
#   <key>/modroot/lib/modules/<release>/   modules_install + depmod
#   <key>/build.log       the build's output
#   key = linux-<series>_<Debian version>-<sha256 of the fragments, the gcc
#         version and this script's RECIPE>; built under <key>.tmp.*, then
#         stamped and renamed (a half-built tree is never used).
# and ../initramfs/debug-<hash>.cpio.gz: busybox + init.sh, no modules.
set -eu

# Bump when a change to the build steps must invalidate cached kernels.
RECIPE=1
SUITE=trixie
SERIES=6.12
FALLBACK_SERIES=6.1
MIRROR=${SF_DEBIAN_MIRROR:-http://deb.debian.org/debian}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

usage() { echo "usage: $0 [--print-env] [--update] [--fallback]" >&2; exit 2; }
sep=' ' update=0 fallback=0
while [ $# -gt 0 ]; do
	case $1 in
	--print-env) sep=$'\n' ;;
	--update) update=1 ;;
	--fallback) fallback=1 ;;
	*) usage ;;
	esac
	shift
done

here=$(cd "$(dirname "$0")" && pwd)
cache=${SF_CACHE:-$HOME/.cache/slotfilter}
mkdir -p "$cache/debug-kernel"
cache=$(cd "$cache" && pwd)
dk=$cache/debug-kernel

say() { echo "debug-kernel: $*" >&2; }
die() { echo "debug-kernel: error: $*" >&2; exit 1; }
# the same protocol as prepare.sh: build under a temporary name, stamp, rename
mktmp() { mkdir -p "$(dirname "$1")" && mktemp -d "$1.tmp.XXXXXX"; }
commit() {
	date -u +%FT%TZ > "$1/stamp"
	mv -T "$1" "$2" 2>/dev/null || { [ -f "$2/stamp" ] && rm -rf "$1"; } ||
		die "cannot create $2"
}
ready() { [ -f "$1/stamp" ]; }

# One run at a time fills the cache (apt's lists, a build); a second one
# waits for the first one's result. A cached run holds the lock ~1 s.
exec 9> "$dk/lock"
flock 9

# --- the source: linux-source-6.12 from trixie through a private apt -------
aptdir=$dk/apt
apt_opts=(-q -o "Dir::Etc::sourcelist=$aptdir/sources.list"
	-o Dir::Etc::sourceparts=- -o "Dir::State::Lists=$aptdir/lists"
	-o "Dir::Cache=$aptdir/cache" -o "Dir::Cache::archives=$aptdir/cache/archives"
	-o "Dir::State::status=$aptdir/status" -o APT::Sandbox::User=root)

# trixie_version: the candidate version of linux-source-$SERIES (refreshing
# the private lists if asked or if there are none); fails if unreachable
trixie_version() {
	mkdir -p "$aptdir/lists/partial" "$aptdir/cache/archives/partial"
	: >> "$aptdir/status"
	# Debian 12's keyring carries the trixie archive keys (apt checks the
	# signature with it in any case; this only names the problem)
	if command -v gpg >/dev/null &&
	   ! gpg --no-default-keyring --keyring "$KEYRING" --with-colons --list-keys 2>/dev/null |
		grep -q 'Debian Archive Automatic Signing Key (13/trixie)'; then
		say "$KEYRING has no trixie archive key"
		return 1
	fi
	echo "deb [signed-by=$KEYRING] $MIRROR $SUITE main" > "$aptdir/sources.list"
	if [ "$update" = 1 ] || ! ls "$aptdir"/lists/*_Packages* >/dev/null 2>&1; then
		say "apt-get update ($SUITE, private lists in $aptdir)"
		rm -f "$aptdir/candidate"
		apt-get "${apt_opts[@]}" update >&2 || return 1
	fi
	# the lists change only above: remember their answer (apt-cache takes ~1 s)
	if [ ! -s "$aptdir/candidate" ]; then
		apt-cache "${apt_opts[@]}" show --no-all-versions "linux-source-$SERIES" 2>/dev/null |
			sed -n 's/^Version: //p' > "$aptdir/candidate.tmp"
		[ -s "$aptdir/candidate.tmp" ] || return 1
		mv "$aptdir/candidate.tmp" "$aptdir/candidate"
	fi
	cat "$aptdir/candidate"
}

# fetch_trixie VERSION: the .deb in $dk/src (apt checks it against the
# signed Packages index), its path on stdout
fetch_trixie() {
	local deb=$dk/src/linux-source-${SERIES}_${1}_all.deb tmp
	if [ ! -f "$deb" ]; then
		say "downloading linux-source-$SERIES $1"
		mkdir -p "$dk/src"
		tmp=$(mktemp -d "$dk/src/tmp.XXXXXX")
		if ! (cd "$tmp" && apt-get "${apt_opts[@]}" download "linux-source-$SERIES=$1" >&2); then
			rm -rf "$tmp"
			return 1
		fi
		[ "$(dpkg-deb -f "$tmp"/*.deb Version)" = "$1" ] || { rm -rf "$tmp"; return 1; }
		mv "$tmp"/*.deb "$deb"
		rm -rf "$tmp"
	fi
	echo "$deb"
}

# --- the key -----------------------------------------------------------------
frags=("$here"/kconfig/*.config)
[ -f "${frags[0]}" ] || die "no fragments in $here/kconfig"
gccver=$(gcc --version | head -n1) || die "gcc not found"
hash=$({ echo "recipe $RECIPE"; echo "$gccver"; cat "${frags[@]}"; } | sha256sum | cut -c1-16)

use_fallback() {
	say "WARNING: $1: falling back to linux-source-$FALLBACK_SERIES"
	fallback=1
}
deb=
if [ "$fallback" = 0 ]; then
	if ! srcver=$(trixie_version); then
		use_fallback "Debian $SUITE cannot be reached"
	elif ! ready "$dk/linux-${SERIES}_$srcver-$hash" && ! deb=$(fetch_trixie "$srcver"); then
		use_fallback "linux-source-$SERIES $srcver cannot be downloaded"
	fi
fi
series=$SERIES
# the kernel run.sh boots: the uncompressed vmlinux via PVH (no
# decompression under TCG)
image=vmlinux
if [ "$fallback" = 1 ]; then
	series=$FALLBACK_SERIES
	srcver=$(dpkg-query -W -f='${Version}' "linux-source-$series" 2>/dev/null) ||
		die "linux-source-$series is not installed (run selftests/vm/deps.sh)"
	# 6.1 built so dies in its PVH entry before the console is up
	image=arch/x86/boot/bzImage
	# and its additions to the fragments
	frags+=("$here/kconfig/fallback-$series.cfg")
	hash=$({ echo "recipe $RECIPE"; echo "$gccver"; cat "${frags[@]}"; } | sha256sum | cut -c1-16)
fi
kdir=$dk/linux-${series}_$srcver-$hash

# --- the build ---------------------------------------------------------------
need_build_deps() {
	local p st missing=
	for p in build-essential bc bison flex libelf-dev kmod cpio xz-utils busybox-static; do
		st=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
		case $st in ii*) ;; *) missing="$missing $p" ;; esac
	done
	[ -z "$missing" ] && return 0
	say "installing the kernel build dependencies:$missing"
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >&2 ||
		{ apt-get update -q >&2 &&
		  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >&2; }
}

# verify_config FRAGMENT CONFIG: every option the fragment asks for is in
# CONFIG with that value; prints the ones that are not
verify_config() {
	awk '
	FNR == NR {
		if (match($0, /^CONFIG_[A-Za-z0-9_]+=/)) {
			want[substr($0, 1, RLENGTH - 1)] = $0
		} else if (match($0, /^# CONFIG_[A-Za-z0-9_]+ is not set$/)) {
			want[$2] = "n"
		}
		next
	}
	/^CONFIG_/ { i = index($0, "="); have[substr($0, 1, i - 1)] = $0 }
	END {
		bad = 0
		for (o in want) {
			h = (o in have) ? have[o] : ""
			if (want[o] == "n" ? h != "" : h != want[o]) {
				printf "  wanted %s, got %s\n", want[o] == "n" ? "# " o " is not set" : want[o],
					h != "" ? h : "not set"
				bad = 1
			}
		}
		exit bad
	}' "$1" "$2"
}

build() {
	local tmp=$1 t0 tarball top n
	t0=$(date +%s)
	if [ "$series" = "$SERIES" ]; then
		say "extracting $(basename "$deb")"
		dpkg-deb --fsys-tarfile "$deb" |
			tar -xf - -C "$tmp" "./usr/src/linux-source-$series.tar.xz"
		tarball=$tmp/usr/src/linux-source-$series.tar.xz
	else
		tarball=/usr/src/linux-source-$series.tar.xz
		say "WARNING: building the fallback $tarball ($srcver)"
	fi
	mkdir "$tmp/linux"
	tar -xJf "$tarball" -C "$tmp/linux" --strip-components=1
	rm -rf "${tmp:?}/usr"
	top=$tmp/linux

	cat "${frags[@]}" > "$tmp/fragments.config"
	make -s -C "$top" KCONFIG_ALLCONFIG="$tmp/fragments.config" allnoconfig >&2
	make -s -C "$top" olddefconfig >&2
	if ! verify_config "$tmp/fragments.config" "$top/.config" >&2; then
		say "the options above did not survive allnoconfig + olddefconfig (missing dependencies?)"
		return 1
	fi

	n=$(nproc)
	say "building linux-$series $srcver with $gccver, -j$n (log: $tmp/build.log)"
	make -C "$top" -j"$n" bzImage modules > "$tmp/build.log" 2>&1 ||
		{ tail -n 40 "$tmp/build.log" >&2; return 1; }
	[ "$image" != vmlinux ] || readelf -n "$top/vmlinux" | grep -q 'Xen.*(0x00000012)' ||
		{ say "vmlinux has no PVH entry note"; return 1; }
	make -C "$top" INSTALL_MOD_PATH="$tmp/modroot" modules_install >> "$tmp/build.log" 2>&1 ||
		{ tail -n 20 "$tmp/build.log" >&2; return 1; }
	rel=$(make -s -C "$top" kernelrelease)
	rm -f "$tmp/modroot/lib/modules/$rel/build"	# would point at $tmp
	depmod -b "$tmp/modroot" "$rel"
	[ -f "$tmp/modroot/lib/modules/$rel/modules.builtin" ] || { say "no modules.builtin"; return 1; }
	say "built in $(( $(date +%s) - t0 )) s"
}

if ! ready "$kdir"; then
	need_build_deps || die "cannot install the build dependencies"
	rm -rf "$kdir" "$kdir".tmp.*	# what a killed run left
	tmp=$(mktmp "$kdir")
	if ! build "$tmp"; then
		say "build failed; the partial tree is $tmp"
		exit 1
	fi
	commit "$tmp" "$kdir"
fi
for d in "$dk"/linux-*; do
	[ "$d" = "$kdir" ] || say "note: $d is not used by this checkout; delete it to free $(du -sh "$d" | cut -f1)"
done
rel=$(ls "$kdir/modroot/lib/modules")
moddir=$kdir/modroot/lib/modules/$rel

# --- initramfs: busybox + init.sh; the drivers are built in ------------------
busybox=$(command -v busybox) || die "busybox not found (install busybox-static)"
ihash=$(cat "$here/init.sh" "$busybox" | sha256sum | cut -c1-16)
initrd=$cache/initramfs/debug-$ihash.cpio.gz
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
	(cd "$tmp/root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) |
		gzip -1 > "$tmp/initrd"
	mv "$tmp/initrd" "$initrd"
	rm -rf "$tmp"
fi

printf 'SF_VM_KERNEL=%q%sSF_VM_MODDIR=%q%sSF_VM_INITRD=%q%sSF_VM_KDIR=%q%sSF_VM_DEBUG=1\n' \
	"$kdir/linux/$image" "$sep" "$moddir" "$sep" "$initrd" "$sep" "$kdir/linux" "$sep"
