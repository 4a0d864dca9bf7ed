#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `make install DESTDIR=... PREFIX=/usr/local` puts exactly the expected files,
# the installed programs work from there (lottery-spawn finds cpu_task in
# ../lib/lottery), and `make uninstall` leaves nothing behind.
# Usage: make_install_test.sh SOURCE_DIR BUILD_DIR
set -euo pipefail

top=$1
build_dir=$2
manifest=$build_dir/cmake/install_manifest.txt
tmp=$(mktemp -d)
root=$tmp/root
prefix=/usr/local

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# A real `sudo make install` from this tree left a manifest that a later
# `make uninstall` needs: keep it aside and put it back.
cleanup() {
	if [ -e "$tmp/manifest.saved" ]; then
		mv "$tmp/manifest.saved" "$manifest"
	else
		rm -f "$manifest"
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
[ -e "$manifest" ] && cp -p "$manifest" "$tmp/manifest.saved"

make -s -C "$top" install BUILD_DIR="$build_dir" DESTDIR="$root" PREFIX="$prefix" >"$tmp/install.log" ||
	{ cat "$tmp/install.log"; fail "make install failed"; }
tail -n 1 "$tmp/install.log"

expected=(
	bin/lottery
	bin/lottery-spawn
	bin/lottery-tracer
	etc/default/lottery
	lib/lottery/cpu_task
	lib/lottery/lottery_scx.bpf.o
	lib/lottery/sched_iter.bpf.o
	lib/lottery/sched_trace.bpf.o
	lib/systemd/system/lottery.service
	share/bash-completion/completions/lottery
	share/doc/lottery/README.md
	share/doc/lottery/enforcement.md
	share/man/man1/lottery.1
	share/man/man1/lottery-spawn.1
	share/man/man1/lottery-tracer.1
)
diff -u <(printf "$root$prefix/%s\n" "${expected[@]}" | sort) \
	<(find "$root" -type f -o -type l | sort) || fail "installed files differ from the expected list"
echo "PASS: make install put the ${#expected[@]} expected files under DESTDIR$prefix"

version=$(cat "$top/VERSION")
[ "$("$root$prefix/bin/lottery" --version)" = "lottery $version" ] || fail "lottery --version is not $version"
for object in "$root$prefix"/lib/lottery/*.bpf.o; do
	readelf -h "$object" | grep -q 'Machine:.*BPF' || fail "$object is not an eBPF object"
done
for page in "$root$prefix"/share/man/man1/*.1; do
	man -l "$page" >/dev/null 2>&1 || fail "$page does not format"
done
bash -n "$root$prefix/share/bash-completion/completions/lottery" || fail "the completion is not valid bash"

# One short task: it must be the installed cpu_task, found relative to the spawner.
read -r pid nice < <("$root$prefix/bin/lottery-spawn" --count 1 --min 0 --max 0 \
	--duration 0.5 --state "$tmp/workload")
exe=$(readlink "/proc/$pid/exe" || true)
"$root$prefix/bin/lottery-spawn" --stop --state "$tmp/workload" >/dev/null
[ "$exe" = "$root$prefix/lib/lottery/cpu_task" ] ||
	fail "lottery-spawn ran '$exe', not the installed cpu_task"
echo "PASS: the installed lottery, lottery-spawn and cpu_task run (nice $nice)"

make -s -C "$top" uninstall BUILD_DIR="$build_dir" DESTDIR="$root"
left=$(find "$root" -mindepth 1 -path "*lottery*")
[ -z "$left" ] || fail "make uninstall left: $left"
[ -z "$(find "$root" -type f)" ] || fail "make uninstall left files: $(find "$root" -type f)"
echo "PASS: make uninstall removed every installed file and the lottery directories"
