#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Puts lottery.ko under DKMS so that it is rebuilt for every new kernel.
#   scripts/dkms.sh install [KERNELRELEASE]
#                                sources to /usr/src/lottery-VERSION, then dkms
#                                add, build and install for that kernel
#                                (default: the running kernel)
#   scripts/dkms.sh uninstall    dkms remove for all kernels, sources removed
#   scripts/dkms.sh stage DIR    only lay out the DKMS source tree in DIR
#                                (the Debian package uses this too)
# install and uninstall are idempotent: a second run starts from a clean slate.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
name=lottery
version=$(cat "$top/VERSION")
src_dir=/usr/src/$name-$version

die() {
	echo "lottery: $*" >&2
	exit 1
}

# The tree kmod/Kbuild expects in DKMS: common/ and VERSION beside the sources.
stage() {
	local dir=$1
	mkdir -p "$dir/common"
	install -m 644 "$top/kmod/Kbuild" "$top/kmod/Makefile" "$top/kmod/lottery.c" "$dir/"
	install -m 644 "$top"/common/*.h "$dir/common/"
	install -m 644 "$top/VERSION" "$dir/"
	sed "s/#MODULE_VERSION#/$version/" "$top/dkms/dkms.conf" > "$dir/dkms.conf"
	chmod 644 "$dir/dkms.conf"
}

registered() {
	[ -n "$(dkms status -m "$name" -v "$version" 2>/dev/null)" ]
}

check_root_and_dkms() {
	[ "$(id -u)" -eq 0 ] || die "dkms $1 needs root: run 'sudo make dkms-$1'"
	command -v dkms >/dev/null || die "dkms is not installed: apt-get install dkms"
}

# Sources that dpkg installed belong to the lottery-dkms package, not to us.
check_not_packaged() {
	local owner
	if owner=$(dpkg-query -S "$src_dir" 2>/dev/null); then
		die "$src_dir belongs to the package ${owner%%:*}: manage it with apt or dpkg"
	fi
}

remove_all() {
	if registered; then
		dkms remove -m "$name" -v "$version" --all >/dev/null
	fi
	rm -rf "$src_dir"
}

install_for() {
	local kver=$1
	[ -d "/lib/modules/$kver/build" ] ||
		die "no headers for kernel $kver: apt-get install linux-headers-$kver"
	check_not_packaged
	remove_all
	stage "$src_dir"
	dkms add -m "$name" -v "$version"
	dkms build -m "$name" -v "$version" -k "$kver"
	dkms install -m "$name" -v "$version" -k "$kver"
	if [ "$kver" = "$(uname -r)" ]; then
		echo "installed $name/$version for kernel $kver: load it with 'sudo modprobe lottery'"
	else
		echo "installed $name/$version for kernel $kver: 'modprobe lottery' loads it once $kver runs"
	fi
}

case "${1:-}" in
install)
	check_root_and_dkms install
	install_for "${2:-$(uname -r)}"
	;;
uninstall)
	check_root_and_dkms uninstall
	check_not_packaged
	if ! registered && [ ! -e "$src_dir" ]; then
		echo "$name/$version is not installed in DKMS: nothing to do"
		exit 0
	fi
	remove_all
	echo "removed $name/$version from DKMS and $src_dir"
	;;
stage)
	[ -n "${2:-}" ] || die "usage: $0 stage DIR"
	stage "$2"
	;;
*)
	die "usage: $0 install [KERNELRELEASE] | uninstall | stage DIR"
	;;
esac
