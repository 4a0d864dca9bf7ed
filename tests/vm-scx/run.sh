#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The sched_ext VM test: boots the newest trixie-backports kernel (which has
# sched_ext; the host's has not) through tests/vm/run.sh, with the sched_ext
# cases and their helpers, and reads back their results.
#
#   usage: run.sh [options] [-- options for tests/vm/run.sh]
#     --bin-dir DIR      the CMake build's bin/ (default: build/cmake/bin)
#     --out DIR          work directory (default: build/vm-scx)
#     --kernel-dir DIR   a scripts/scx-kernel.sh output to boot, fetched
#                        there if it has none yet (default: OUT/kernel)
#     --cases DIR        cases to run (default: tests/vm-scx/cases)
#     --retries N        boot again up to N times after a guest kernel crash
#                        (default 1); every crashed console is kept
#
# A guest kernel crash is never a pass: 7.3 under TCG has crashed with an
# int3 Oops in __schedule while a scheduler was enabled or disabled
# (shared/KERNEL-TESTING.md), so it is reported as such, and a run passes
# only if one boot reached the end of the cases with no crash and no FAIL.
# Exit codes: 0 passed, 1 failed, 3 the guest kernel crashed on every boot,
# 77 every case was skipped.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
bin_dir=$repo/build/cmake/bin
out=$repo/build/vm-scx
kernel_dir=
cases=$here/cases
retries=1
pass_on=()

die() { echo "lottery: vm-scx test: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
	case $1 in
	--bin-dir) bin_dir=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--kernel-dir) kernel_dir=$2; shift 2 ;;
	--cases) cases=$2; shift 2 ;;
	--retries) retries=$2; shift 2 ;;
	--) shift; pass_on+=("$@"); break ;;
	*) die "unknown option $1 (see the top of $0)" ;;
	esac
done

mkdir -p "$out"
out=$(cd "$out" && pwd)
# The kernel already there is kept: it is the one the scheduler was compiled
# against, if the build wrote it.
kernel_dir=${kernel_dir:-$out/kernel}
if [ ! -r "$kernel_dir/kernel.env" ]; then
	"$repo/scripts/scx-kernel.sh" --out "$kernel_dir" >/dev/null ||
		die "no kernel with sched_ext (scripts/scx-kernel.sh failed above)"
fi
# shellcheck source=/dev/null
. "$kernel_dir/kernel.env"

boot=0
while :; do
	boot=$((boot + 1))
	set +e
	"$repo/tests/vm/run.sh" --vmlinuz "$SCX_VMLINUZ" --kernel "$SCX_KVER" --bin-dir "$bin_dir" --out "$out" \
		--cases "$cases" --add "$here/lib.sh=/vmtest/scx.sh" --add /usr/bin/chrt=/usr/bin/chrt \
		--env VMTEST_CASE_TIMEOUT=300 \
		--accel tcg,thread=single "${pass_on[@]}"
	status=$?
	set -e
	[ $status -eq 3 ] || break
	mv "$out/console.log" "$out/console.crash$boot.log"
	echo "lottery: vm-scx test: VM kernel crash on boot $boot (known TCG issue with" \
		"sched_ext enable/disable, see shared/KERNEL-TESTING.md); console kept in" \
		"$out/console.crash$boot.log" >&2
	[ $boot -le "$retries" ] || exit 3
	echo "vm-scx test: booting again ($boot of $((retries + 1)))"
done
exit $status
