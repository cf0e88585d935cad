#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run.sh on the debug kernel, with slotfilter built for it:
#
#   debug-run.sh [run.sh options] -- COMMAND [ARGS...]
#
# Builds (or finds cached) the debug kernel (debug-kernel.sh), builds the
# module against its tree into build/dk/kmod/ and the DEBUG variant into
# build/dk/debug/kmod/ (`make module-dk`), then boots it with SF_VM_DEBUG=1
# (panic_on_warn, final kmemleak scans) and runs COMMAND. SF_DEBUG_KO tells
# kmod_selftest.sh where the DEBUG module is. Logs default to
# build/vm-dmesg-debug.log and build/vm-console-debug.log. Exit status:
# run.sh's, or 2 if the kernel or the module could not be built.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)

env=$("$here/debug-kernel.sh") || { echo "debug-run: the debug kernel did not build" >&2; exit 2; }
eval "$env"
export SF_VM_KERNEL SF_VM_MODDIR SF_VM_INITRD SF_VM_KDIR SF_VM_DEBUG

make -s -C "$top" module-dk SF_VM_KDIR="$SF_VM_KDIR" >&2 ||
	{ echo "debug-run: the module did not build against $SF_VM_KDIR" >&2; exit 2; }

export SF_DEBUG_KO=$top/build/dk/debug/kmod/slotfilter.ko
export SF_VM_LOG=${SF_VM_LOG:-build/vm-dmesg-debug.log}
export SF_VM_CONSOLE=${SF_VM_CONSOLE:-build/vm-console-debug.log}
exec "$here/run.sh" --module "$top/build/dk/kmod/slotfilter.ko" "$@"
