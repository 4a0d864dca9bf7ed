#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs every Debian package that building, testing, the VM and packaging
# need, on Debian 12 (bookworm) or 13 (trixie), from nothing more than a
# minbase system (debootstrap --variant=minbase). Cheap when all are present:
# apt runs only for what is missing.
#   install-deps.sh [demo]    demo: only what `make demo` builds and runs
set -euo pipefail

# The names that differ between releases: clang's runtime libraries carry
# its major version.
. /etc/os-release
case "${VERSION_CODENAME:-}" in
bookworm) clang_major=14 ;;
trixie) clang_major=19 ;;
*)
	clang_major=$(apt-cache depends clang 2>/dev/null | sed -n 's/.*Depends: clang-\([0-9][0-9]*\)$/\1/p' | head -n 1)
	if [ -z "$clang_major" ]; then
		echo "lottery: Debian ${VERSION_CODENAME:-release unknown} is not known here (bookworm and trixie are); run 'apt-get update' and try again" >&2
		exit 1
	fi
	;;
esac

demo=(
	# the programs and the BPF tracer
	make cmake pkg-config g++ clang llvm libbpf-dev bpftool libelf-dev zlib1g-dev
	libboost-program-options-dev
	# lottery's sched_ext scheduler is compiled against the types of the kernel
	# it runs on, fetched from trixie-backports through a private apt
	# directory that trusts Debian's archive keyring; its image is zstd inside
	zstd debian-archive-keyring
)
everything=(
	"${demo[@]}"
	# the tests (gmock) and benchmarks
	build-essential libgtest-dev libgmock-dev libbenchmark-dev
	# the module, and the VM that runs Debian's stock kernel to test it
	kmod linux-headers-amd64 linux-image-amd64 qemu-system-x86 busybox-static cpio bc file
	# the scripts and tests: sysctl, pgrep, unshare, setpriv, findmnt, mount,
	# flock; /usr/bin/time; localedef's sources for a decimal-comma locale
	procps util-linux mount time locales
	# packaging: debhelper, lintian, man pages, the changelog's date from git
	dkms debhelper dh-dkms lintian fakeroot bash-completion man-db git
	# benchmarks, fuzzing, plots
	linux-perf rt-tests "libclang-rt-$clang_major-dev" gnuplot-nox python3
	# make test-fresh: a minimal Debian root to run the two commands in
	debootstrap
)
case ${1:-} in
'') packages=("${everything[@]}") ;;
demo) packages=("${demo[@]}") ;;
*) echo "usage: install-deps.sh [demo]" >&2; exit 2 ;;
esac

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
