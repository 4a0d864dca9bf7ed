#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Boots kernel KVER in the test VM (tests/vm/run.sh) with what the packages
# installed on this machine: the DKMS-built lottery.ko at its place under
# /lib/modules/KVER, with a modules.dep from depmod so that `modprobe lottery`
# finds it, and the packaged programs from /usr. Runs vm-cases/ and the
# harness's dmesg check.
# Usage: vm_modprobe.sh SOURCE_DIR KVER WORKDIR
set -euo pipefail

top=$1
kver=$2
work=$3
here=$(cd "$(dirname "$0")" && pwd)
modules=$work/stage/lib/modules/$kver
bin=$work/stage/bin

rm -rf "$work/stage"
mkdir -p "$modules/updates/dkms" "$bin"
cp /lib/modules/"$kver"/updates/dkms/lottery.ko* "$modules/updates/dkms/"
cp /lib/modules/"$kver"/modules.{order,builtin,builtin.modinfo} "$modules/" 2>/dev/null || true
depmod -b "$work/stage" "$kver"

# The harness copies the programs of one directory with their libraries.
for program in lottery lottery-spawn lottery-tracer; do
	ln -s "/usr/bin/$program" "$bin/"
done
ln -s /usr/lib/lottery/cpu_task "$bin/"

"$top/tests/vm/run.sh" --kernel "$kver" --out "$work/out" --bin-dir "$bin" \
	--module "$(ls "$modules"/updates/dkms/lottery.ko*)" \
	--add "$work/stage/lib/modules=/lib/modules" \
	--cases "$here/vm-cases" --cases "$top/tests/vm/cases" --only 'dkms-modprobe|dmesg' \
	--env "LOTTERY_VERSION=$(cat "$top/VERSION")"
