#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `make fairness-vm`: the paper's fairness experiments on lottery as the
# kernel's scheduler (sched_ext), in the VM that boots trixie-backports'
# kernel (tests/vm-scx): relative rate accuracy under EEVDF, lottery and
# stride for the same nice values, lottery's 2:1 in 8 s windows, the time a
# task waits for its quantum at 19:1 and 7:3 under lottery and stride,
# compensation tickets, and currencies insulating a load that grows.
#
# Environment: BUILD_DIR (build), FAIRNESS_SECONDS per run (30),
# FAIRNESS_NICES (B's nice values, comma-separated: 0,3,5,7,10,13),
# FAIRNESS_OVERTIME (seconds of the 2:1 run: 120).
# Output in $BUILD_DIR/fairness-vm: fairness.txt (the tables),
# fairness.csv, timeline/*.csv, summary-*.json, *.png, vm/console.log.
set -euo pipefail

BUILD_DIR=${BUILD_DIR:-build}
BIN=$BUILD_DIR/cmake/bin
OUT=$BUILD_DIR/fairness-vm
SECONDS_EACH=${FAIRNESS_SECONDS:-30}
NICES=${FAIRNESS_NICES:-0,3,5,7,10,13}
OVERTIME=${FAIRNESS_OVERTIME:-120}
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")

die() { echo "fairness-vm: $*" >&2; exit 1; }
for program in lottery cpu_task io_task gap_task; do
	[ -x "$BIN/$program" ] || die "$BIN/$program is missing: build first (make build BUILD_DIR=$BUILD_DIR)"
done
command -v gnuplot >/dev/null || die "gnuplot is missing (apt-get install gnuplot-nox)"

mkdir -p "$OUT"
rm -rf "$OUT/timeline"
# The runs, the loads (~10-25 s each under TCG) and the boot, with room.
nices=$(echo "$NICES" | tr , ' ' | wc -w)
budget=$(( (3 * nices + 8) * (SECONDS_EACH + 5) + OVERTIME + 300 ))
echo "fairness-vm: about $((budget / 60)) minutes of VM; console in $OUT/vm/console.log" >&2
status=0
"$TOP/tests/vm-scx/run.sh" --kernel-dir "$BUILD_DIR/cmake/scx-kernel" --bin-dir "$BIN" \
	--out "$OUT/vm" --cases "$HERE/vm" -- --add "$BIN/io_task=/vmtest/io_task" \
	--add "$BIN/gap_task=/vmtest/gap_task" \
	--env "FAIRNESS_SECONDS=$SECONDS_EACH" --env "FAIRNESS_NICES=$NICES" \
	--env "FAIRNESS_OVERTIME=$OVERTIME" --env "VMTEST_CASE_TIMEOUT=$budget" \
	--timeout $((budget + 120)) >"$OUT/vm.log" 2>&1 || status=$?
if [ $status -ne 0 ]; then
	tail -n 20 "$OUT/vm.log" >&2
	# The experiments that finished still make their tables and plots.
	grep -aq '^ *experiment| FAIRNESS' "$OUT/vm/console.log" 2>/dev/null ||
		die "the VM run failed (status $status; log $OUT/vm.log)"
	echo "fairness-vm: the VM run failed (status $status; log $OUT/vm.log); the results up to the failure follow" >&2
fi
python3 "$HERE/vm_report.py" "$OUT/vm/console.log" "$OUT" | tee "$OUT/fairness.txt"
gnuplot -e "dir='$OUT'; nices='$(echo "$NICES" | tr , ' ')'" "$HERE/vm_plots.gp"
echo "fairness-vm: tables, CSV and plots in $OUT" >&2
[ $status -eq 0 ] || die "incomplete: an experiment failed (see $OUT/vm.log)"
