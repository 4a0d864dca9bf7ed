#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `make dkms-install KERNELRELEASE=...` and `make dkms-uninstall`, each run twice: the
# second run is harmless, the module is built and installed for that kernel with the
# project's version, and uninstall leaves nothing in /usr/src, the module
# tree or the DKMS tree.
# Usage: dkms_script_test.sh SOURCE_DIR   (exit 77: skipped)
set -euo pipefail

top=$1
version=$(cat "$top/VERSION")
kver=${KVER:-$("$top/tests/vm/kernel.sh" 2>/dev/null || true)}
log=$(mktemp)

fail() {
	echo "FAIL: $*" >&2
	exit 1
}
run() {
	make -s -C "$top" "$@" >"$log" 2>&1 || { cat "$log"; fail "make $* failed"; }
}
leftovers() {
	ls -d /usr/src/lottery-* /lib/modules/*/updates/dkms/lottery* /var/lib/dkms/lottery \
		2>/dev/null || true
}
cleanup() {
	make -s -C "$top" dkms-uninstall >/dev/null 2>&1 || true
	rm -f "$log"
}

[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root"; exit 77; }
command -v dkms >/dev/null || { echo "SKIP: dkms is not installed"; exit 77; }
[ -n "$kver" ] && [ -d "/lib/modules/$kver/build" ] ||
	{ echo "SKIP: no Debian kernel headers: install linux-headers-amd64"; exit 77; }
[ -z "$(leftovers)" ] ||
	{ echo "SKIP: lottery is in DKMS already (the lottery-dkms package?): $(leftovers)"; exit 77; }
trap cleanup EXIT

for attempt in first second; do
	run dkms-install KERNELRELEASE="$kver"
	dkms status -m lottery -v "$version" -k "$kver" | grep -q ': installed' ||
		{ cat "$log"; fail "the $attempt dkms-install did not install lottery/$version for $kver"; }
	echo "PASS: the $attempt make dkms-install KERNELRELEASE=$kver: $(dkms status -m lottery)"
done
# Where the kernel compresses its modules (Debian 13: xz) DKMS installs
# lottery.ko.xz; modinfo reads either.
ko=$(ls /lib/modules/"$kver"/updates/dkms/lottery.ko* 2>/dev/null | head -n 1)
[ -n "$ko" ] || fail "/lib/modules/$kver/updates/dkms/lottery.ko* is missing"
[ "$(modinfo -F version "$ko")" = "$version" ] || fail "$ko is not version $version"
grep -q "^PACKAGE_VERSION=\"$version\"" "/usr/src/lottery-$version/dkms.conf" ||
	fail "/usr/src/lottery-$version/dkms.conf does not say version $version"
echo "PASS: $ko is version $version"

for attempt in first second; do
	run dkms-uninstall
	[ -z "$(leftovers)" ] || fail "the $attempt dkms-uninstall left: $(leftovers)"
	echo "PASS: the $attempt make dkms-uninstall: $(tail -n 1 "$log")"
done

# Errors are one line that says what to do.
if make -s -C "$top" dkms-install KERNELRELEASE=0.0-no-such-kernel >"$log" 2>&1; then
	fail "dkms-install for a kernel without headers succeeded"
fi
grep -q '^lottery: no headers for kernel 0.0-no-such-kernel: apt-get install linux-headers-0.0-no-such-kernel$' "$log" ||
	{ cat "$log"; fail "dkms-install without headers did not say which package to install"; }
echo "PASS: without headers: $(head -n 1 "$log")"
