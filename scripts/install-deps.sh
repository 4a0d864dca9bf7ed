#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs every Debian package that building, testing, the VM and packaging
# need. Cheap when all are present: apt runs only for what is missing.
set -euo pipefail

packages=(
	# build
	make cmake pkg-config g++ clang llvm libbpf-dev bpftool libelf-dev zlib1g-dev
	libboost-program-options-dev libgtest-dev libbenchmark-dev
	# the module, and the VM that runs Debian's stock kernel to test it
	kmod linux-headers-amd64 linux-image-amd64 qemu-system-x86 busybox-static cpio bc
	# the scripts and tests: sysctl, pgrep, unshare, setpriv
	procps util-linux
	# packaging
	dkms debhelper dh-dkms lintian fakeroot bash-completion
	# benchmarks, fuzzing, plots
	linux-perf rt-tests libclang-rt-14-dev gnuplot-nox python3
)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "lottery: missing packages: ${missing[*]}; run 'sudo make deps'" >&2
	exit 1
fi
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
