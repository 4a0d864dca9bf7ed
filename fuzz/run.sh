#!/bin/bash
# SPDX-License-Identifier: MIT
# Builds the fuzz targets with clang (fuzz/CMakeLists.txt) and runs each on a
# copy of its corpus, so that a run never grows the corpus in the repository.
# Exits non-zero if a target crashed, leaked, hit a sanitizer report, broke a
# property, or hung; the input that did it is kept under BUILD/artifacts/.
#
#   fuzz/run.sh [--seconds N] [--build-dir DIR] [--build-only|--no-build] [TARGET...]
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
seconds=180
build_dir=build/fuzz
build=1
run=1
targets=()

die() { echo "lottery: fuzz: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
	case $1 in
	--seconds) seconds=${2:?}; shift 2 ;;
	--build-dir) build_dir=${2:?}; shift 2 ;;
	--build-only) run=0; shift ;;
	--no-build) build=0; shift ;;
	-*) die "unknown option $1 (see the head of $0)" ;;
	*) targets+=("$1"); shift ;;
	esac
done
[[ $seconds =~ ^[1-9][0-9]*$ ]] || die "--seconds must be a positive whole number, not '$seconds'"

if [ "$build" = 1 ]; then
	command -v clang++ >/dev/null || die "clang++ is missing: run 'sudo make deps'"
	cmake -S "$here" -B "$build_dir" -DCMAKE_CXX_COMPILER=clang++ >/dev/null
	cmake --build "$build_dir" -j "$(nproc)" >/dev/null
fi
[ "$run" = 1 ] || exit 0

if [ ${#targets[@]} -eq 0 ]; then
	# The names, from the one list CMake builds them from.
	mapfile -t targets < <(sed -n '/^set(LOTTERY_FUZZ_TARGETS/,/)/s/^  \([a-z_]*\).*/\1/p' "$here/targets.cmake")
fi

work=$(mktemp -d /tmp/lottery-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT
failed=0
for target in "${targets[@]}"; do
	binary=$build_dir/fuzz_$target
	[ -x "$binary" ] || die "$binary is missing: unknown target '$target' or not built"
	[ -d "$here/corpus/$target" ] || die "fuzz/corpus/$target is missing"
	cp -r "$here/corpus/$target" "$work/$target"
	mkdir -p "$build_dir/artifacts/$target"
	log=$build_dir/artifacts/$target/last-run.log
	# -timeout: one input taking 10 s is a hang, not slowness.
	if "$binary" -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
		-artifact_prefix="$build_dir/artifacts/$target/" "$work/$target" >"$log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		echo "fuzz $target: ${runs:-?} inputs in ${seconds} s, no crash (corpus $(ls "$work/$target" | wc -l) inputs)"
	else
		failed=1
		echo "fuzz $target: FAILED; the input is in $build_dir/artifacts/$target/, the log in $log:"
		grep -E '^(==[0-9]+==ERROR|SUMMARY|fuzz property failed|.*runtime error)' "$log" | head -n 5
	fi
	rm -rf "${work:?}/$target"
done
exit $failed
