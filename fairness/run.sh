#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `make fairness`: Waldspurger and Weihl's relative-rate-accuracy experiment
# (OSDI 1994, section 5.2) on this machine, under `lottery --enforce`:
# two CPU-bound tasks on one CPU at allocated ratios 1:1 to 10:1, with
# lottery and with stride; then currencies (--per-user: user A with one
# task against user B with two, then four) and compensation tickets (an
# I/O-bound task against a CPU-bound one, equal tickets, with and without).
# CPU time comes from /proc/PID/schedstat, sampled every second.
#
# Environment: BUILD_DIR (build), FAIRNESS_SECONDS per run (60),
# FAIRNESS_INTERVAL_MS quantum (100, the paper's), FAIRNESS_RUNS per ratio
# (1; the paper ran 3), FAIRNESS_RATIOS ("1 2 3 5 7 10"), FAIRNESS_POLICIES
# ("lottery stride"), FAIRNESS_CPU (0).
# Output in $BUILD_DIR/fairness: fairness.txt (the table), fairness.csv,
# timeline/*.csv (cumulative CPU per second), *.png, raw/ (agent output).
set -euo pipefail

BUILD_DIR=${BUILD_DIR:-build}
BIN=$BUILD_DIR/cmake/bin
OUT=$BUILD_DIR/fairness
RUN_SECONDS=${FAIRNESS_SECONDS:-60}
INTERVAL_MS=${FAIRNESS_INTERVAL_MS:-100}
RUNS=${FAIRNESS_RUNS:-1}
RATIOS=${FAIRNESS_RATIOS:-1 2 3 5 7 10}
POLICIES=${FAIRNESS_POLICIES:-lottery stride}
CPU=${FAIRNESS_CPU:-0}
HERE=$(cd "$(dirname "$0")" && pwd)
PIN=/sys/fs/bpf/lottery_fairness_$$
NOBODY=65534

die() { echo "fairness: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root: it loads the tracer and stops and continues tasks"
for program in lottery lottery-tracer cpu_task io_task; do
	[ -x "$BIN/$program" ] || die "$BIN/$program is missing: build first (make build BUILD_DIR=$BUILD_DIR)"
done
command -v gnuplot >/dev/null || die "gnuplot is missing (apt-get install gnuplot-nox)"

# Everything we start, so that nothing outlives the script. A pid leaves
# the list when we reap it: until then it cannot be reused.
started=()
TOOLS=$(mktemp -d /tmp/lottery-fairness.XXXXXX)
cleanup() {
	for pid in "${started[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
	wait 2>/dev/null || true
	"$BIN/lottery-tracer" unload --pin-dir "$PIN" >/dev/null 2>&1 || true
	rm -rf "$TOOLS"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

start() { "$@" & last=$!; started+=("$last"); }
reap() {
	local pid keep=()
	for pid in "$@"; do kill -KILL "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
	for pid in "${started[@]}"; do [[ " $* " == *" $pid "* ]] || keep+=("$pid"); done
	started=("${keep[@]}")
}
sum_ns() { local pid ns total=0; for pid in "$@"; do read -r ns _ < "/proc/$pid/schedstat"; total=$((total + ns)); done; echo $total; }
now_ns() { date +%s%N; }

# The workload, where user nobody can run it too.
cp "$BIN/cpu_task" "$BIN/io_task" "$TOOLS/"
chmod 755 "$TOOLS" "$TOOLS"/*
# setpriv execs the task, so the pid start reports is the task's own.
as_nobody=(setpriv "--reuid=$NOBODY" "--regid=$NOBODY" --clear-groups)

mkdir -p "$OUT/timeline" "$OUT/raw"
rm -f "$OUT"/timeline/*.csv "$OUT"/raw/*
"$BIN/lottery-tracer" load --mode trace --pin-dir "$PIN" >/dev/null

# measure LABEL "A PIDS" "B PIDS" AGENT_ARGS...: an enforced run of
# RUN_SECONDS; writes timeline/LABEL.csv (t, CPU ns of group A and of B
# since the start) and sets observed (A:B), a_wins, b_wins, expected_a_wins
# and rounds from the agent's summary.
measure() {
	local label=$1 a_pids=$2 b_pids=$3; shift 3
	local csv=$OUT/timeline/$label.csv json=$OUT/raw/$label.json agent a0 b0 t0 t
	start "$BIN/lottery" --enforce --backend bpf --pin-dir "$PIN" --cpus "$CPU" --json "$@" \
		"$INTERVAL_MS" > "$json" 2> "$OUT/raw/$label.err"
	agent=$last
	# Count from the first draw: before it both tasks run freely.
	for ((t = 0; t < 500; t++)); do [ -s "$json" ] && break; sleep 0.01; done
	[ -s "$json" ] || die "$label: the agent did not start: $(cat "$OUT/raw/$label.err")"
	# shellcheck disable=SC2086 # the groups are lists of pids
	a0=$(sum_ns $a_pids) b0=$(sum_ns $b_pids) t0=$(now_ns)
	echo "t,a_ns,b_ns" > "$csv"
	for ((t = 1; t <= RUN_SECONDS; t++)); do
		# Sleep to t seconds after the start, so sampling does not drift.
		sleep "$(awk -v left=$((t0 + t * 1000000000 - $(now_ns))) 'BEGIN { printf "%.3f", (left > 0 ? left / 1e9 : 0) }')"
		kill -0 "$agent" 2>/dev/null || die "$label: the agent ended early: $(cat "$OUT/raw/$label.err")"
		# shellcheck disable=SC2086
		echo "$(( ($(now_ns) - t0) / 1000000 )),$(( $(sum_ns $a_pids) - a0 )),$(( $(sum_ns $b_pids) - b0 ))" >> "$csv"
	done
	kill -TERM "$agent"
	wait "$agent" || die "$label: the agent failed: $(cat "$OUT/raw/$label.err")"
	reap "$agent"
	observed=$(tail -n 1 "$csv" | awk -F, '{ printf "%.3f", ($3 > 0 ? $2 / $3 : 0) }')
	# Wins of group A and B, and A's expected wins, from the summary line.
	read -r rounds a_wins b_wins expected_a_wins < <(tail -n 1 "$json" | python3 -c '
import json, sys
s = json.load(sys.stdin)["summary"]
a = set(map(int, sys.argv[1].split())); b = set(map(int, sys.argv[2].split()))
wins = lambda g: sum(t["wins"] for t in s["tasks"] if t["pid"] in g)
exp = sum(t["promised_share"] for t in s["tasks"] if t["pid"] in a) * sum(t["wins"] for t in s["tasks"])
print(s["rounds"], wins(a), wins(b), "%.1f" % exp)' "$a_pids" "$b_pids")
}

echo "experiment,policy,allocated,run,observed,rounds,a_wins,b_wins,expected_a_wins,seconds" > "$OUT/fairness.csv"
record() { echo "$1,$2,$3,$4,$observed,$rounds,$a_wins,$b_wins,$expected_a_wins,$RUN_SECONDS" >> "$OUT/fairness.csv"; }

echo "fairness: $RUN_SECONDS s runs, $INTERVAL_MS ms quantum, CPU $CPU; this takes a while" >&2
for policy in $POLICIES; do
	for ratio in $RATIOS; do
		for ((run = 1; run <= RUNS; run++)); do
			start "$TOOLS/cpu_task"; a=$last
			start "$TOOLS/cpu_task"; b=$last
			measure "ratio-$policy-$ratio-$run" "$a" "$b" --policy "$policy" \
				--pid "$a" --pid "$b" --tickets "$a=$((ratio * 100))" --tickets "$b=100"
			reap "$a" "$b"
			record ratio "$policy" "$ratio" "$run"
			echo "  $policy $ratio:1 run $run: observed $observed:1" >&2
		done
	done
done

# Currencies: each user holds half, however many tasks B runs.
for tasks in 2 4; do
	start "$TOOLS/cpu_task"; a=$last
	bs=()
	for ((i = 0; i < tasks; i++)); do start "${as_nobody[@]}" "$TOOLS/cpu_task"; bs+=("$last"); done
	pid_args=(--pid "$a"); for b in "${bs[@]}"; do pid_args+=(--pid "$b"); done
	measure "currency-$tasks" "$a" "${bs[*]}" --per-user "${pid_args[@]}"
	reap "$a" "${bs[@]}"
	record currency lottery 1 "$tasks"
	echo "  currency, user B with $tasks tasks: observed $observed:1" >&2
done

# Compensation: io_task computes 10 ms, then sleeps 10 ms; equal tickets.
for mode in with without; do
	start "$TOOLS/cpu_task"; a=$last
	start "$TOOLS/io_task" 10 10; b=$last
	flag=(); [ "$mode" = without ] && flag=(--no-compensation)
	measure "compensation-$mode" "$a" "$b" "${flag[@]}" --pid "$a" --pid "$b"
	reap "$a" "$b"
	record compensation "$mode" 1 1
	echo "  compensation $mode: cpu_task:io_task $observed:1" >&2
done

python3 "$HERE/table.py" "$OUT/fairness.csv" "$INTERVAL_MS" | tee "$OUT/fairness.txt"
gnuplot -e "dir='$OUT'; ratios='$RATIOS'; policies='$POLICIES'" "$HERE/plots.gp"
echo "fairness: table, CSV and plots in $OUT" >&2
