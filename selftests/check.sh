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
# SF_CHECK_KERNELS: "stock debug" (default), or one of them. The two VMs
# run at once (their lines tagged "stock: " and "debug: "), unless
# SF_CHECK_PARALLEL=0 runs them one after the other.
# SF_CHECK_TIMEOUT: seconds a VM run may take (default 1800 stock, 3600
# debug: a busy host makes emulation several times slower).
# Both runs keep the loops short that longer targets run in full (`make
# stress`, `make fuzz-netlink`, `make bench`): on the stock kernel
# SF_STOCK_STRESS_ITER (default 2), SF_STOCK_FUZZ_DURATION (10 s),
# SF_STOCK_SWAPS (30); on the debug kernel SF_DEBUG_STRESS_ITER (2),
# SF_DEBUG_SWAPS (10) and the fuzzer's default 30 s. The debug run also
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

# suite NAME: the runner and its arguments for that kernel, in suite_cmd;
# its log and time limit in suite_log, suite_timeout.
suite()
{
	local make_run=(make -s -C selftests SF_KSFT_DIR="$SF_KSFT_DIR" run)

	case $1 in
	stock)
		suite_log=build/selftests.log
		suite_timeout=${SF_CHECK_TIMEOUT:-1800}
		suite_cmd=(env SF_VM_KERNEL=''
			SF_STRESS_ITER="${SF_STOCK_STRESS_ITER:-2}"
			SF_FUZZ_DURATION="${SF_STOCK_FUZZ_DURATION:-10}"
			SF_SWAPS="${SF_STOCK_SWAPS:-30}"
			selftests/vm/run.sh --timeout "$suite_timeout" --
			"${make_run[@]}") ;;
	debug)
		suite_log=build/selftests-debug.log
		suite_timeout=${SF_CHECK_TIMEOUT:-3600}
		suite_cmd=(env SF_VM_KERNEL=''
			SF_STRESS_ITER="${SF_DEBUG_STRESS_ITER:-2}"
			SF_SWAPS="${SF_DEBUG_SWAPS:-10}"
			selftests/vm/debug-run.sh --timeout "$suite_timeout" --
			"${make_run[@]}" SF_RUN_EXTRA=failslab
			"SF_SKIP=${SF_DEBUG_SKIP-$debug_skip}") ;;
	*)
		echo "SF_CHECK_KERNELS: unknown kernel '$1' (stock, debug)" >&2
		exit 2 ;;
	esac
}

# Check the names before anything runs.
for k in $kernels; do
	suite "$k"
done

set -- $kernels
if [ $# -gt 1 ] && [ "${SF_CHECK_PARALLEL:-1}" = 1 ]; then
	# Both VMs at once, each line of their output tagged with its kernel.
	# The host has two cores and one VM seldom keeps both busy (a test
	# mostly runs one process at a time); what one leaves idle, the other
	# takes. The debug run is the longer one, so the stock VM runs at a
	# lower priority: it gets what the debug VM (or, on a fresh machine,
	# the debug kernel's build) leaves.
	echo "== selftests (VMs, $* kernels at once)"
	pids=()
	for k in $kernels; do
		suite "$k"
		nice=()
		[ "$k" != stock ] || nice=(nice -n 10)
		{
			"${nice[@]}" "${suite_cmd[@]}" >"$suite_log" 2>&1
			echo $? >"$suite_log.status"
		} &
		pids+=($!)
		tail -n +1 -F --pid=$! "$suite_log" 2>/dev/null | sed -u "s/^/$k: /" &
	done
	wait "${pids[@]}"
	wait
else
	for k in $kernels; do
		suite "$k"
		echo "== selftests (VM, $k kernel)"
		"${suite_cmd[@]}" 2>&1 | tee "$suite_log"
		echo "${PIPESTATUS[0]}" >"$suite_log.status"
	done
fi
for k in $kernels; do
	suite "$k"
	summary+=(--tap "$suite_log" --vm-status "$(cat "$suite_log.status")")
done

echo "== summary"
exec python3 selftests/summary.py "${summary[@]}"
