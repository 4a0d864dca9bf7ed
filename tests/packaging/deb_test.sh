#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The Debian packages, end to end, as root: `make deb`, lintian without errors,
# `dpkg -i` of both, DKMS builds lottery.ko for the VM's Debian kernel, that
# kernel boots in the VM and loads the DKMS-built module with `modprobe`, the
# packaged `lottery --backend chardev` reads it; then `dpkg -r` of both leaves
# nothing in /usr/src, the module trees or the DKMS tree.
# Usage: deb_test.sh SOURCE_DIR BUILD_DIR   (exit 77: skipped)
set -euo pipefail

top=$1
build_dir=$2
version=$(cat "$top/VERSION")
kver=${KVER:-$("$top/tests/vm/kernel.sh" 2>/dev/null || true)}
packages=(lottery lottery-dkms)
tmp=$(mktemp -d)

fail() {
	echo "FAIL: $*" >&2
	exit 1
}
skip() {
	echo "SKIP: $*"
	exit 77
}
installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'
}

[ "$(id -u)" -eq 0 ] || skip "needs root (dpkg -i, dkms)"
[ -n "$kver" ] && [ -d "/lib/modules/$kver/build" ] ||
	skip "no Debian kernel headers: install linux-headers-amd64"
for p in "${packages[@]}"; do
	! installed "$p" || skip "$p is installed already: this test would remove it"
done
[ -z "$(dkms status -m lottery 2>/dev/null)" ] ||
	skip "lottery is in DKMS already (make dkms-install?): run 'sudo make dkms-uninstall' first"

remove_packages() {
	dpkg -r "${packages[@]}" >"$tmp/remove.log" 2>&1
}
cleanup() {
	for p in "${packages[@]}"; do
		if installed "$p"; then
			remove_packages || cat "$tmp/remove.log"
			break
		fi
	done
	rm -rf "$tmp"
}
trap cleanup EXIT

# --- build and check the packages --------------------------------------------
make -s -C "$top" deb BUILD_DIR="$build_dir"
debs=("$build_dir/deb/lottery_${version}_"*.deb "$build_dir/deb/lottery-dkms_${version}_all.deb")
for deb in "${debs[@]}"; do
	[ -f "$deb" ] || fail "make deb did not build $deb"
done
echo "PASS: make deb built ${debs[*]##*/}"

lintian --fail-on error --display-level '>=warning' "${debs[@]}" >"$tmp/lintian.log" 2>&1 ||
	{ cat "$tmp/lintian.log"; fail "lintian reports errors (above)"; }
echo "PASS: lintian: no errors ($(grep -c '^W:' "$tmp/lintian.log" || true) warnings)"
grep '^[EWIXPO]:' "$tmp/lintian.log" | sed 's/^/  /' || true

# --- install them --------------------------------------------------------------
dpkg -i "${debs[@]}" >"$tmp/install.log" 2>&1 || { cat "$tmp/install.log"; fail "dpkg -i failed"; }
echo "PASS: dpkg -i ${packages[*]}"
[ "$(lottery --version)" = "lottery $version" ] || fail "lottery --version is not $version"
for path in /usr/bin/lottery /usr/bin/lottery-spawn /usr/bin/lottery-tracer \
	/usr/lib/lottery/cpu_task /usr/lib/lottery/sched_trace.bpf.o /usr/lib/lottery/sched_iter.bpf.o \
	/usr/lib/lottery/lottery_scx.bpf.o \
	/usr/share/man/man1/lottery.1.gz /usr/share/bash-completion/completions/lottery \
	/usr/share/doc/lottery/copyright "/usr/src/lottery-$version/dkms.conf"; do
	[ -e "$path" ] || fail "$path is not installed"
done
grep -q "^PACKAGE_VERSION=\"$version\"" "/usr/src/lottery-$version/dkms.conf" ||
	fail "dkms.conf does not have PACKAGE_VERSION $version"
man -w lottery >/dev/null || fail "man lottery finds no page"
dpkg -L lottery | grep -q '^/\(usr/\)\?lib/systemd/system/lottery.service$' ||
	fail "the lottery package ships no lottery.service in a systemd unit directory"
[ -e /lib/systemd/system/lottery.service ] || fail "lottery.service is not where systemd looks"
echo "PASS: the lottery package's files are in place; lottery --version says $version"

# dpkg -i builds for the running kernel; this host has no headers for its own,
# so build and install for the VM's Debian kernel explicitly.
if ! dkms status -m lottery -v "$version" -k "$kver" | grep -q installed; then
	dkms install -m lottery -v "$version" -k "$kver" >"$tmp/dkms.log" 2>&1 ||
		{ cat "$tmp/dkms.log"; fail "dkms install -k $kver failed"; }
fi
ko=$(find "/lib/modules/$kver/updates/dkms" -name 'lottery.ko*' 2>/dev/null | head -n 1)
[ -n "$ko" ] || fail "no lottery.ko under /lib/modules/$kver/updates/dkms"
modinfo -F version "$ko" | grep -qx "$version" || fail "$ko is not version $version"
modinfo -F vermagic "$ko" | grep -q "^$kver " || fail "$ko was not built for $kver"
echo "PASS: DKMS built $ko ($(dkms status -m lottery -k "$kver"))"

# --- the VM: modprobe the DKMS-built module, run the packaged lottery ----------
# Not under /tmp: the VM mounts a tmpfs there, over the programs' copies.
"$(dirname "$0")/vm_modprobe.sh" "$top" "$kver" "$build_dir/packaging-vm" ||
	fail "the VM test of the packages failed"

# --- remove them ----------------------------------------------------------------
remove_packages || { cat "$tmp/remove.log"; fail "dpkg -r failed"; }
left=$(ls -d /usr/src/lottery-* /lib/modules/*/updates/dkms/lottery* /var/lib/dkms/lottery \
	/usr/lib/lottery /usr/bin/lottery* /usr/share/doc/lottery* 2>/dev/null || true)
[ -z "$left" ] || fail "dpkg -r left: $left"
echo "PASS: dpkg -r ${packages[*]} left nothing behind"
