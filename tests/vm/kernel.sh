#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Prints the release of the newest Debian kernel installed whole: its image
# in /boot and its kbuild tree in /lib/modules. The VM boots that image and
# the module is built against that tree, so both must be the one kernel.
set -euo pipefail

for vmlinuz in $(ls /boot/vmlinuz-*-amd64 2>/dev/null | sort -V -r); do
	kver=${vmlinuz#/boot/vmlinuz-}
	if [ -d "/lib/modules/$kver/build" ]; then
		echo "$kver"
		exit 0
	fi
done
echo "lottery: no Debian kernel with both /boot/vmlinuz-*-amd64 and its headers: install linux-image-amd64 and linux-headers-amd64 ('sudo make deps')" >&2
exit 1
