#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The whole easy test, as the prototype's runner.sh did it: build if needed,
# load the tracer, spawn a workload, run the lottery for a number of rounds,
# then put the machine back as it was, however the script ends.
#
#   sudo bash runner.sh [lottery options...]
# Environment: BUILD_DIR (build), ROUNDS (20), INTERVAL_MS (250),
# COUNT/MIN_NICE/MAX_NICE for the workload (5, -5, 5).
set -euo pipefail
cd "$(dirname "$0")"

BUILD_DIR=${BUILD_DIR:-build}
BIN=$BUILD_DIR/cmake/bin
ROUNDS=${ROUNDS:-20}
INTERVAL_MS=${INTERVAL_MS:-250}

if [ "$(id -u)" -ne 0 ]; then
	echo "runner.sh: loading the tracer needs root: run 'sudo bash runner.sh'" >&2
	exit 1
fi
if [ ! -x "$BIN/lottery" ] || [ ! -x "$BIN/lottery-tracer" ] || [ ! -x "$BIN/lottery-spawn" ]; then
	make --no-print-directory build-demo BUILD_DIR="$BUILD_DIR"
fi

loaded_here=0
state=$(mktemp /tmp/lottery-runner.XXXXXX)
cleanup() {
	"$BIN/lottery-spawn" --stop --state "$state" || true
	rm -f "$state"
	# Leave a tracer that was loaded before us; remove the one we loaded.
	if [ "$loaded_here" = 1 ]; then
		"$BIN/lottery-tracer" unload || true
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if ! "$BIN/lottery-tracer" status >/dev/null 2>&1; then
	loaded_here=1
	"$BIN/lottery-tracer" load
fi

echo "== workload: pid and nice of each cpu_task"
"$BIN/lottery-spawn" --count "${COUNT:-5}" --min "${MIN_NICE:--5}" --max "${MAX_NICE:-5}" \
	--state "$state"
echo "== lottery: $ROUNDS rounds every $INTERVAL_MS ms"
"$BIN/lottery" --rounds "$ROUNDS" "$@" "$INTERVAL_MS"
