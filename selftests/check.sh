#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The body of `make check` (after deps and the build): host-side unit tests,
# then the selftest suite inside the VM on Debian's stock kernel and on the
# debug kernel (vm/debug-run.sh: KASAN, UBSAN, lockdep, kmemleak, failslab;
# the failslab test runs there only), then one summary line for all of it.
# Logs go to build/: unit.log, selftests.log and selftests-debug.log,
# vm-{dmesg,console}.log and vm-{dmesg,console}-debug.log.
#
# SF_CHECK_KERNELS: "stock debug" (default), or one of them.
# SF_CHECK_TIMEOUT: seconds a VM run may take (default 1800 stock, 3600
# debug: a busy host makes emulation several times slower).
# The debug run scales down what only takes long under its emulation:
# SF_DEBUG_STRESS_ITER (default 2), SF_DEBUG_SWAPS (default 10), and
# leaves out SF_DEBUG_SKIP: the tests of userspace parsing and output
# (slotctl's words and tables, slotd's kinds and their files), whose
# kernel paths the other tests take too; they run on the stock kernel.
set -u
cd "$(dirname "$0")/.."
mkdir -p build

eval "$(selftests/vm/prepare.sh --print-env | tail -n 4)"
export SF_KSFT_DIR
kernels=${SF_CHECK_KERNELS:-stock debug}
debug_skip="slotctl_cli.sh service_cli.sh redirect_cli.sh inspect_ips.sh inspect_webrep.sh inspect_bad.sh"

echo "== host unit tests"
make -s -C tools test 2>&1 | tee build/unit.log

summary=(--unit build/unit.log)
if ! make -s -C selftests SF_KSFT_DIR="$SF_KSFT_DIR" all; then
	echo "selftests did not build" | tee build/selftests.log
	exec python3 selftests/summary.py "${summary[@]}" \
		--tap build/selftests.log --vm-status 1
fi

run_suite() # NAME LOG TIMEOUT RUNNER [MAKE ARGS...]
{
	local name=$1 log=$2 timeout=$3 runner=$4 status
	shift 4
	echo "== selftests (VM, $name kernel)"
	SF_VM_KERNEL='' "$runner" --timeout "$timeout" -- \
		make -s -C selftests SF_KSFT_DIR="$SF_KSFT_DIR" run "$@" \
		2>&1 | tee "$log"
	status=${PIPESTATUS[0]}
	summary+=(--tap "$log" --vm-status "$status")
}

for k in $kernels; do
	case $k in
	stock)
		run_suite stock build/selftests.log "${SF_CHECK_TIMEOUT:-1800}" \
			selftests/vm/run.sh ;;
	debug)
		SF_STRESS_ITER=${SF_DEBUG_STRESS_ITER:-2} \
		SF_SWAPS=${SF_DEBUG_SWAPS:-10} \
		run_suite debug build/selftests-debug.log "${SF_CHECK_TIMEOUT:-3600}" \
			selftests/vm/debug-run.sh SF_RUN_EXTRA=failslab \
			"SF_SKIP=${SF_DEBUG_SKIP-$debug_skip}" ;;
	*)
		echo "SF_CHECK_KERNELS: unknown kernel '$k' (stock, debug)" >&2
		exit 2 ;;
	esac
done

echo "== summary"
exec python3 selftests/summary.py "${summary[@]}"
