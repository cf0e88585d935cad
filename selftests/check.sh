#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The body of `make check` (after deps and the build): host-side unit tests,
# then the selftest suite inside the VM, then one summary line. Logs go to
# build/: unit.log, selftests.log, vm-dmesg.log, vm-console.log.
set -u
cd "$(dirname "$0")/.."
mkdir -p build

eval "$(selftests/vm/prepare.sh --print-env | tail -n 4)"
export SF_KSFT_DIR

echo "== host unit tests"
make -s -C tools test 2>&1 | tee build/unit.log

echo "== selftests (VM)"
if make -s -C selftests SF_KSFT_DIR="$SF_KSFT_DIR" all; then
	selftests/vm/run.sh --timeout "${SF_CHECK_TIMEOUT:-1500}" -- \
		make -s -C selftests SF_KSFT_DIR="$SF_KSFT_DIR" run \
		2>&1 | tee build/selftests.log
	vm_status=${PIPESTATUS[0]}
else
	echo "selftests did not build" | tee build/selftests.log
	vm_status=1
fi

echo "== summary"
exec python3 selftests/summary.py --unit build/unit.log \
	--tap build/selftests.log --vm-status "$vm_status"
