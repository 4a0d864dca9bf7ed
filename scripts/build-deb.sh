#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `make deb`: builds the lottery and lottery-dkms packages into
# $BUILD_DIR/deb/. dpkg-buildpackage writes its output beside the source
# tree, so it runs on a copy of the tree under $BUILD_DIR/deb/, and the
# changelog is written there from VERSION: the project keeps one version.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${BUILD_DIR:-build}
[[ $build_dir == /* ]] || build_dir=$top/$build_dir
out=$build_dir/deb
version=$(cat "$top/VERSION")
tree=$out/lottery-$version

die() {
	echo "lottery: $*" >&2
	exit 1
}

for tool in dpkg-buildpackage dh dh_dkms; do
	command -v "$tool" >/dev/null ||
		die "$tool is missing: apt-get install debhelper dh-dkms dpkg-dev (or 'sudo make deps')"
done

# The sources only: no build directories, no VCS data, no module objects.
copy_tree() {
	rm -rf "$out"
	mkdir -p "$tree"
	local inside
	inside=$(realpath -m --relative-to="$top" "$out")
	tar -C "$top" --exclude-vcs --exclude='./build*' --exclude="./$inside" \
		--exclude='./kmod/*.o' --exclude='./kmod/*.ko' --exclude='./kmod/*.mod*' \
		--exclude='./kmod/.*.cmd' --exclude='./kmod/Module.symvers' \
		--exclude='./kmod/modules.order' -cf - . | tar -C "$tree" -xf -
}

# The date of the last commit keeps rebuilds of one version byte-identical.
write_changelog() {
	local maintainer epoch
	maintainer=$(sed -n 's/^Maintainer: //p' "$tree/debian/control")
	epoch=$(git -C "$top" log -1 --format=%ct 2>/dev/null || date +%s)
	cat > "$tree/debian/changelog" <<-EOF
		lottery ($version) unstable; urgency=medium

		  * Release $version: see README.md in /usr/share/doc/lottery.

		 -- $maintainer  $(LC_ALL=C date -R -u -d "@$epoch")
	EOF
}

copy_tree
write_changelog
# The copy builds with its own settings, not with those of the make that ran us.
(cd "$tree" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u BUILD_DIR \
	dpkg-buildpackage --build=binary --no-sign) > "$out/build.log" 2>&1 ||
	die "dpkg-buildpackage failed: see $out/build.log"
rm -rf "$tree"
ls -1 "$out"/*.deb
