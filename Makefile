# SPDX-License-Identifier: GPL-2.0
#
# make            build the module and the tools
# make check      install what is missing, build, run every test (host + VM)
# make demo       boot the VM and show a port's counters moving
# make bench      measure the cost of an attached port in the VM
#
# KABI picks the kernel to build against: by default the one Debian's
# linux-headers-amd64 points at (not the running kernel).

KABI ?= $(shell dpkg-query -W -f='$${Depends}' linux-headers-amd64 2>/dev/null | \
	sed -n 's/^linux-headers-\([^ ]*\).*/\1/p')
KDIR ?= /lib/modules/$(KABI)/build
SF_CACHE ?= $(HOME)/.cache/slotfilter
export SF_CACHE KABI

VM := selftests/vm

.PHONY: all module tools deps check unit demo bench clean

all: module tools

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 modules

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
	$(VM)/run.sh --timeout 1800 -- selftests/bench.sh

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean || true
	$(MAKE) -C tools clean
	$(MAKE) -C selftests clean
