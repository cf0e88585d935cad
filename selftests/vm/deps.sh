#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages needed to build slotfilter and run its tests
# in QEMU. A fast no-op when everything is already installed.
set -eu

pkgs="build-essential pkg-config linux-headers-amd64 linux-source-6.1
      libmnl-dev libhyperscan-dev libpcre2-dev qemu-system-x86 busybox-static cpio kmod xz-utils iproute2
      nftables iputils-ping iperf3 socat tcpdump ethtool python3 jq curl openssl"

missing=
for p in $pkgs; do
	st=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
	case $st in ii*) ;; *) missing="$missing $p" ;; esac
done
[ -z "$missing" ] && exit 0

echo "deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing
