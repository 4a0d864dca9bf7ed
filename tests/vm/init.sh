#!/bin/sh
# SPDX-License-Identifier: MIT
# /init of the test VM: mounts what the cases need, runs /vmtest/cases/*.sh
# in name order and prints one result line per case on the console:
#   VMTEST PASS <name>
#   VMTEST FAIL <name>: <last line the case printed>
#   VMTEST SKIP <name>: <last line the case printed>
# A case passes when it exits 0 and is skipped when it exits 77 (it could not
# run here, which is never a pass); NN- prefixes order them and are not part of
# the name. Then it prints VMTEST END and powers off.
export PATH=/usr/bin:/usr/sbin:/bin:/sbin
export HOME=/tmp

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# No tmpfs on /tmp: the initramfs root is in memory and writable already,
# and a mount there would hide the programs' copies at their build path when
# the build lives under /tmp (as a CI clone may).
mkdir -p /tmp
mount -t bpf bpf /sys/fs/bpf
mount -t tracefs tracefs /sys/kernel/tracing
mount -t debugfs debugfs /sys/kernel/debug
ln -s /proc/self/fd /dev/fd

echo "VMTEST BEGIN kernel $(uname -r), $(nproc) cpus, $(awk '/MemTotal/ {print $2 " kB"}' /proc/meminfo)"
for case in /vmtest/cases/*.sh; do
	name=$(basename "$case" .sh)
	name=${name#[0-9][0-9]-}
	if [ -n "${VMTEST_ONLY:-}" ] && ! echo "$name" | grep -qE "$VMTEST_ONLY"; then
		continue
	fi
	start=$(cut -d' ' -f1 /proc/uptime)
	timeout "${VMTEST_CASE_TIMEOUT:-120}" sh "$case" >/tmp/case.out 2>&1
	status=$?
	end=$(cut -d' ' -f1 /proc/uptime)
	sed "s/^/  $name| /" /tmp/case.out
	echo "VMTEST TIME $name $(echo "$end $start" | awk '{printf "%.2f", $1 - $2}') s"
	why=$(grep -v '^[[:space:]]*$' /tmp/case.out | tail -n 1)
	case $status in
	0) echo "VMTEST PASS $name" ;;
	77) echo "VMTEST SKIP $name: ${why:-skipped}" ;;
	*) echo "VMTEST FAIL $name: ${why:-exit status $status}" ;;
	esac
done
echo "VMTEST END"
poweroff -f
