#!/bin/sh
# SPDX-License-Identifier: MIT
# Loads or unloads lottery.ko on this machine (make load-kmod / unload-kmod).
#   usage: kmod.sh load PATH/lottery.ko [PARAM=VALUE...]
#          kmod.sh unload
# Unloading a module that is not loaded is not an error. POSIX sh, so that
# the VM test (busybox) runs it too.
set -eu

die() { echo "lottery: $*" >&2; exit 1; }

loaded() { grep -q '^lottery ' /proc/modules 2>/dev/null; }

load() {
	module=$1
	shift
	[ "$(id -u)" -eq 0 ] || die "loading lottery.ko needs root: run 'sudo make load-kmod'"
	[ -e /proc/modules ] || die "this kernel ($(uname -r)) cannot load modules (no CONFIG_MODULES): use the bpf backend"
	[ -r "$module" ] || die "$module is missing: build it with 'make build-kmod'"
	if loaded; then
		echo "lottery.ko is already loaded ($(cat /sys/module/lottery/version 2>/dev/null || echo unknown version))"
	else
		insmod "$module" "$@" || die "insmod $module failed (see dmesg)"
	fi
	# udev or devtmpfs makes the node a moment after the module registers it.
	for _ in $(seq 50); do
		[ -c /dev/lottery ] && { echo "/dev/lottery is ready"; return 0; }
		sleep 0.1
	done
	die "lottery.ko is loaded but /dev/lottery did not appear (is devtmpfs or udev running?)"
}

unload() {
	loaded || { echo "lottery.ko is not loaded"; return 0; }
	[ "$(id -u)" -eq 0 ] || die "unloading lottery.ko needs root: run 'sudo make unload-kmod'"
	rmmod lottery || die "rmmod lottery failed: is a reader (lottery --backend chardev) still running?"
	echo "lottery.ko unloaded"
}

case ${1:-} in
load) [ $# -ge 2 ] || die "usage: kmod.sh load PATH/lottery.ko [PARAM=VALUE...]"; shift; load "$@" ;;
unload) unload ;;
*) die "usage: kmod.sh load PATH/lottery.ko [PARAM=VALUE...] | kmod.sh unload" ;;
esac
