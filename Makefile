# SPDX-License-Identifier: GPL-2.0
#
# make            build the module and the tools
# make check      install what is missing, build, run every test (host + VM)
# make demo       boot the VM and show a port's counters moving
# make bench      measure ports and the firewall against nftables, and a
#                 service's round trip against NFQUEUE, in the VM
# make fuzz       every libFuzzer harness of tools/ on the host (clang),
#                 FUZZ_SECONDS (60) each; scratch corpora and crashes in
#                 build/fuzz/; fails if any harness crashes
# make fuzz-netlink DURATION=600   the netlink fuzzer in the debug VM
# make stress     the teardown races, SF_STRESS_ITER (100) iterations, on
#                 the stock kernel and then on the debug kernel
#
# KABI picks the kernel to build against: by default the one Debian's
# linux-headers-amd64 points at (not the running kernel).

# Evaluated where used: on a fresh machine the headers arrive with `deps`.
ifeq ($(KABI),)
KABI = $(shell dpkg-query -W -f='$${Depends}' linux-headers-amd64 2>/dev/null | \
	sed -n 's/^linux-headers-\([^ ]*\).*/\1/p')
endif
KDIR ?= /lib/modules/$(KABI)/build
SF_CACHE ?= $(HOME)/.cache/slotfilter
export SF_CACHE

VM := selftests/vm

.PHONY: all module module-debug module-dk tools deps check unit demo bench \
	fuzz fuzz-netlink stress clean

all: module module-debug tools

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 modules

# $(call build_copy,DIR,KDIR[,KBUILD ARGS]): the sources copied to DIR and
# built there against KDIR, so that other builds leave kmod/ alone
define build_copy
	mkdir -p $(1)/kmod/selftest $(1)/uapi/linux
	cp -p kmod/Kbuild kmod/*.[ch] $(1)/kmod/
	cp -p kmod/selftest/*.[ch] $(1)/kmod/selftest/
	cp -p uapi/linux/*.h $(1)/uapi/linux/
	$(MAKE) -C $(2) M=$(1)/kmod W=1 $(3) modules
endef

# The same sources built with -DDEBUG into build/debug/: the in-module
# self-tests run when it loads (selftests/kmod_selftest.sh).
module-debug:
	$(call build_copy,$(CURDIR)/build/debug,$(KDIR),CONFIG_SLOTFILTER_DEBUG=y)

# Both, for the debug kernel whose tree SF_VM_KDIR is (eval the output of
# selftests/vm/debug-kernel.sh), into build/dk/ (selftests/vm/debug-run.sh).
module-dk:
	@test -n "$(SF_VM_KDIR)" || { echo "SF_VM_KDIR is not set: eval \"\$$(selftests/vm/debug-kernel.sh)\"" >&2; exit 2; }
	$(call build_copy,$(CURDIR)/build/dk,$(SF_VM_KDIR))
	$(call build_copy,$(CURDIR)/build/dk/debug,$(SF_VM_KDIR),CONFIG_SLOTFILTER_DEBUG=y)

tools:
	$(MAKE) -C tools

deps:
	$(VM)/deps.sh

unit: tools
	$(MAKE) -C tools test

check: deps
	$(MAKE) all
	selftests/check.sh

demo: deps
	$(MAKE) all
	$(VM)/run.sh -- selftests/demo.sh

bench: deps
	$(MAKE) all
	$(MAKE) -s -C selftests SF_KSFT_DIR="$$($(VM)/prepare.sh --print-env | \
		sed -n 's/^SF_KSFT_DIR=//p')" all
	$(VM)/run.sh --timeout 3600 -- selftests/bench.sh

fuzz:
	$(MAKE) -C tools fuzz FUZZ_DIR=$(CURDIR)/build/fuzz

DURATION ?= 600
fuzz-netlink: deps
	$(MAKE) all
	SF_FUZZ_DURATION=$(DURATION) $(VM)/debug-run.sh --timeout $$(($(DURATION) + 1200)) \
		-- selftests/fuzz_netlink.sh

SF_STRESS_ITER ?= 100
stress: deps
	$(MAKE) all
	$(MAKE) -s -C selftests SF_KSFT_DIR="$$($(VM)/prepare.sh --print-env | \
		sed -n 's/^SF_KSFT_DIR=//p')" all
	SF_STRESS_ITER=$(SF_STRESS_ITER) $(VM)/run.sh --timeout 14400 -- selftests/stress.sh
	SF_STRESS_ITER=$(SF_STRESS_ITER) $(VM)/debug-run.sh --timeout 43200 -- selftests/stress.sh

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean || true
	$(MAKE) -C tools clean
	$(MAKE) -C selftests clean
