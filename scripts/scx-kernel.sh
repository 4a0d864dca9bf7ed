#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Fetches the newest Debian kernel that has sched_ext (trixie-backports by
# default) for the sched_ext VM, without touching the host's apt sources: a
# private apt directory whose only source is that suite. The .debs are cached
# between runs; the kernel image, its config and a vmlinux.h generated from
# its own BTF go to OUT:
#
#   OUT/vmlinuz  OUT/config  OUT/vmlinux.h  OUT/kernel.env (SCX_KVER=... for sh)
#
#   usage: scx-kernel.sh [--out DIR] [--cache DIR] [--suite SUITE] [--offline]
#     --out DIR     where the kernel files go (default: build/scx-kernel)
#     --cache DIR   apt state and .debs (default: /var/cache/lottery/scx-kernel
#                   as root, ~/.cache/lottery/scx-kernel otherwise)
#     --suite NAME  the Debian suite to take the kernel from (default
#                   trixie-backports; sid works too)
#     --offline     no apt: use the newest kernel already in the cache
#
# Environment: SCX_KERNEL_MIRROR overrides the Debian mirror (default: the
# host's own Debian URI). Prints the kernel release on success.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
out=$repo/build/scx-kernel
suite=trixie-backports
offline=
if [ "$(id -u)" -eq 0 ]; then
	cache=/var/cache/lottery/scx-kernel
else
	cache=${XDG_CACHE_HOME:-$HOME/.cache}/lottery/scx-kernel
fi

die() { echo "lottery: scx kernel: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
	case $1 in
	--out) out=$2; shift 2 ;;
	--cache) cache=$2; shift 2 ;;
	--suite) suite=$2; shift 2 ;;
	--offline) offline=1; shift ;;
	*) die "unknown option $1 (see the top of $0)" ;;
	esac
done

mkdir -p "$out"
out=$(cd "$out" && pwd) # kernel.env names absolute paths

for tool in apt-get apt-cache dpkg-deb zstd bpftool; do
	command -v $tool >/dev/null || die "$tool is missing: run 'sudo make deps'"
done
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[ -r $keyring ] || die "$keyring is missing: install debian-archive-keyring"

# The Debian mirror the host already uses, so that a machine whose only way
# out is its apt mirror can fetch the kernel too.
host_mirror() {
	local uri
	uri=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.sources \
		/etc/apt/sources.list.d/*.list 2>/dev/null |
		grep -v '^[[:space:]]*#' | grep -oE '(https?|file)://[^ ]*/debian/?( |$)' |
		head -n 1 || true)
	echo "${uri%% }" | sed 's|/$||'
}
mirror=${SCX_KERNEL_MIRROR:-$(host_mirror)}
mirror=${mirror:-http://deb.debian.org/debian}

# --- the private apt directory -------------------------------------------------
# One cache per suite, so that trying sid never evicts trixie-backports.
cache=$cache/$suite
apt_dir=$cache/apt
debs=$cache/debs
mkdir -p "$apt_dir/etc/apt/sources.list.d" "$apt_dir/etc/apt/preferences.d" \
	"$apt_dir/var/lib/apt/lists/partial" "$debs/partial"
: >"$apt_dir/etc/apt/sources.list"
cat >"$apt_dir/etc/apt/sources.list.d/scx-kernel.sources" <<EOF
Types: deb
URIs: $mirror
Suites: $suite
Components: main
Signed-By: $keyring
EOF
# The host's dpkg status and trusted keys, but only the private sources and
# lists: nothing here changes what the host's apt sees.
apt_opts=(-q -o "Dir=$apt_dir" -o Dir::State::status=/var/lib/dpkg/status
	-o Dir::Etc::trusted=/etc/apt/trusted.gpg
	-o Dir::Etc::trustedparts=/etc/apt/trusted.gpg.d
	-o "Dir::Cache::archives=$debs" -o APT::Sandbox::User=root)

# The kernel release (ABI name) and package version linux-image-amd64 points
# to in that suite; the packages that hold the image and its config.
resolve_kernel() {
	local version depends
	version=$(apt-cache "${apt_opts[@]}" madison linux-image-amd64 |
		awk -F' *[|] *' -v s="$suite" '$3 ~ " "s"/" {print $2; exit}')
	[ -n "$version" ] || return 1
	depends=$(apt-cache "${apt_opts[@]}" show "linux-image-amd64=$version" |
		sed -n 's/^Depends: //p' | head -n 1)
	kver=$(echo "$depends" | grep -oE 'linux-image-[^ ,]+-amd64' | head -n 1)
	kver=${kver#linux-image-}
	[ -n "$kver" ] || return 1
	pkg_version=$version
	# Since 7.x the image is split: linux-binary-* has vmlinuz, linux-base-*
	# the config; before that linux-image-* held both.
	packages=()
	for p in linux-binary-$kver linux-base-$kver; do
		apt-cache "${apt_opts[@]}" show "$p=$version" >/dev/null 2>&1 && packages+=("$p")
	done
	[ ${#packages[@]} -gt 0 ] || packages=("linux-image-$kver")
}

encode() { echo "${1//:/%3a}"; }
if [ -z "$offline" ] && ! apt-get "${apt_opts[@]}" --error-on=any update >"$cache/apt-update.log" 2>&1; then
	[ -r "$cache/newest" ] ||
		die "apt-get update of $suite from $mirror failed (log: $cache/apt-update.log)"
	echo "lottery: scx kernel: $suite unreachable (log: $cache/apt-update.log); using the cached kernel" >&2
	offline=1
fi
if [ -z "$offline" ]; then
	resolve_kernel || die "no linux-image-amd64 in $suite at $mirror"
	(cd "$debs" && for p in "${packages[@]}"; do
		ls "${p}_$(encode "$pkg_version")_"*.deb >/dev/null 2>&1 || echo "$p=$pkg_version"
	done | xargs -r apt-get "${apt_opts[@]}" download >"$cache/apt-download.log" 2>&1) ||
		die "downloading ${packages[*]} $pkg_version failed (log: $cache/apt-download.log)"
	# Backports replaces versions: keep only the current one's packages.
	for deb in "$debs"/*.deb; do
		case $deb in *"_$(encode "$pkg_version")_"*) ;; *) rm -f "$deb" ;; esac
	done
	echo "$kver $pkg_version" >"$cache/newest"
else
	[ -r "$cache/newest" ] || die "--offline: no kernel in $cache yet (run once without --offline)"
	read -r kver pkg_version <"$cache/newest"
fi

# --- extract, check, vmlinux.h -------------------------------------------------
files=$(ls "$debs"/linux-*-"${kver}_$(encode "$pkg_version")"_*.deb 2>/dev/null) ||
	die "no .deb of $kver $pkg_version in $debs"
tree=$out/tree
rm -rf "$tree"
mkdir -p "$tree"
for deb in $files; do
	dpkg-deb -x "$deb" "$tree"
done
find_one() {
	local f
	for f in "$@"; do
		[ -r "$f" ] && { echo "$f"; return 0; }
	done
	return 1
}
vmlinuz=$(find_one "$tree/usr/lib/modules/$kver/vmlinuz" "$tree/boot/vmlinuz-$kver") ||
	die "the packages of $kver hold no vmlinuz"
config=$(find_one "$tree/usr/lib/modules/$kver/config" "$tree/boot/config-$kver") ||
	die "the packages of $kver hold no kernel config"
grep -qx 'CONFIG_SCHED_CLASS_EXT=y' "$config" ||
	die "$kver from $suite lacks CONFIG_SCHED_CLASS_EXT=y: it cannot run sched_ext"
grep -qx 'CONFIG_DEBUG_INFO_BTF=y' "$config" ||
	die "$kver from $suite lacks CONFIG_DEBUG_INFO_BTF=y: no BTF for vmlinux.h"
cp "$vmlinuz" "$out/vmlinuz"
cp "$config" "$out/config"
rm -rf "$tree"

# vmlinuz is a bzImage around a zstd stream of the ELF vmlinux: decompress
# from the first zstd frame magic (28 b5 2f fd); its .BTF is the kernel's BTF.
offset=$(LC_ALL=C grep -obUaP '\x28\xb5\x2f\xfd' "$out/vmlinuz" | head -n 1 | cut -d: -f1)
[ -n "$offset" ] || die "no zstd stream in the vmlinuz of $kver (compressed otherwise?)"
tail -c +$((offset + 1)) "$out/vmlinuz" | zstd -dcq 2>/dev/null >"$out/vmlinux" || true
[ "$(head -c 4 "$out/vmlinux" | od -An -tx1 | tr -d ' ')" = 7f454c46 ] ||
	die "decompressing the vmlinuz of $kver did not give an ELF vmlinux"
bpftool btf dump file "$out/vmlinux" format c >"$out/vmlinux.h.tmp" ||
	die "bpftool could not read the BTF of $kver"
mv "$out/vmlinux.h.tmp" "$out/vmlinux.h"
rm -f "$out/vmlinux"

cat >"$out/kernel.env" <<EOF
SCX_KVER=$kver
SCX_KERNEL_VERSION=$pkg_version
SCX_SUITE=$suite
SCX_VMLINUZ=$out/vmlinuz
SCX_CONFIG=$out/config
SCX_VMLINUX_H=$out/vmlinux.h
EOF
echo "$kver"
