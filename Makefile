# SPDX-License-Identifier: GPL-2.0
#
# make            build the module and the tools
# make check      install what is missing, build, run every test (host + VM)
# make demo       boot the VM and show a port's counters moving
# make bench      measure ports and the firewall against nftables, in the VM
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

.PHONY: all module module-debug tools deps check unit demo bench clean

all: module module-debug tools

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 modules

# The same sources built with -DDEBUG into build/debug/: the in-module
# self-tests run when it loads (selftests/kmod_selftest.sh).
DEBUG_DIR := $(CURDIR)/build/debug
module-debug:
	mkdir -p $(DEBUG_DIR)/kmod/selftest $(DEBUG_DIR)/uapi/linux
	cp -p kmod/Kbuild kmod/*.[ch] $(DEBUG_DIR)/kmod/
	cp -p kmod/selftest/*.[ch] $(DEBUG_DIR)/kmod/selftest/
	cp -p uapi/linux/*.h $(DEBUG_DIR)/uapi/linux/
	$(MAKE) -C $(KDIR) M=$(DEBUG_DIR)/kmod W=1 CONFIG_SLOTFILTER_DEBUG=y modules

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
	$(VM)/run.sh --timeout 3600 -- selftests/bench.sh

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean || true
	$(MAKE) -C tools clean
	$(MAKE) -C selftests clean
