#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds lottery.ko for another kernel from a copy of its sources in OUTDIR,
# so that a build for the VM's kernel never mixes with one in kmod/. Warnings
# are errors: the module must build cleanly. Prints the module's path.
#   usage: build-module.sh KERNELRELEASE OUTDIR
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: build-module.sh KERNELRELEASE OUTDIR" >&2; exit 2; }
kver=$1
out=$2
repo=$(cd "$(dirname "$0")/../.." && pwd)
kdir=/lib/modules/$kver/build

if [ ! -d "$kdir" ]; then
	echo "lottery: $kdir is missing: install linux-headers-$kver (sudo make deps)" >&2
	exit 1
fi
# The layout of a DKMS tree: kmod sources, common/ and VERSION side by side.
mkdir -p "$out/kmod" "$out/common"
cp -p "$repo"/kmod/Kbuild "$repo"/kmod/Makefile "$repo"/kmod/lottery.c "$out/kmod/"
cp -p "$repo"/common/*.h "$out/common/"
cp -p "$repo/VERSION" "$out/"
# Without the kernel's vmlinux kbuild cannot add BTF to the module, and says
# so on every build: that is expected for a headers-only tree.
make -s -C "$out/kmod" KDIR="$kdir" W=1 KCFLAGS=-Werror 2>&1 |
	{ grep -v 'Skipping BTF generation' || true; } >&2
echo "$out/kmod/lottery.ko"
