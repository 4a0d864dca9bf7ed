#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `make bench` and `make bench-quick`: every benchmark of issue 6, one table.
#
#   usage: bench/run.sh [--quick] [--bin-dir DIR] [--out DIR] [--parts LIST]
#     --quick       few repetitions and sizes: checks that everything runs
#     --bin-dir DIR the CMake build's bin/ (default: build/cmake/bin)
#     --out DIR     where results.md and the raw outputs go (default: build/bench)
#     --parts LIST  comma-separated, from draw,round,cost,memory,vm (default: all)
#
# Prints the table (metric, value, target, verdict) and writes it with the
# date and the machine to OUT/results.md (OUT/results-quick.md with --quick).
# Exits 1 when a benchmark could not run; a missed target is a verdict, not
# a failure. Needs root: it loads tracers of its own under /sys/fs/bpf and
# sets kernel.bpf_stats_enabled for a moment; both are undone at exit.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
bin_dir=$repo/build/cmake/bin
out=$repo/build/bench
quick=0
parts=draw,round,cost,memory,vm

while [ $# -gt 0 ]; do
	case $1 in
	--quick) quick=1; shift ;;
	--bin-dir) bin_dir=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--parts) parts=$2; shift 2 ;;
	*) echo "lottery: bench: unknown option $1 (see the top of $0)" >&2; exit 2 ;;
	esac
done

. "$here/lib.sh"
. "$here/draw.sh"
. "$here/round.sh"
. "$here/tracer_cost.sh"
. "$here/memory.sh"
. "$here/vm.sh"

[ "$(id -u)" -eq 0 ] || bench_die "needs root to load tracers and read BPF maps (sudo make bench)"
for program in lottery lottery-tracer round_bench; do
	[ -x "$bin_dir/$program" ] || bench_die "$bin_dir/$program is not built (make build)"
done
bin_dir=$(cd "$bin_dir" && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)

round_target_size=10000
if [ $quick -eq 1 ]; then
	draw_min_time=0.001
	round_sizes="100 $round_target_size" round_reps=20 baseline_reps=2 read_reps=2
	cost_pairs=1 pipe_loops=5000 hackbench_loops=50
	vm_busy=0,4 vm_sleepers=200 vm_rounds=20 vm_timeout=240
	results=$out/results-quick.md
else
	draw_min_time=0.5
	round_sizes="100 1000 $round_target_size" round_reps=1000 baseline_reps=20 read_reps=50
	cost_pairs=7 pipe_loops=200000 hackbench_loops=500
	vm_busy=0,8,32 vm_sleepers=1000 vm_rounds=200 vm_timeout=1200
	results=$out/results.md
fi

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
rows=$out/rows.tsv
: >"$rows"
bench_failures=0
for part in ${parts//,/ }; do
	rows_before=$(wc -l <"$rows")
	case $part in
	draw) bench_draw ;;
	round) bench_rounds ;;
	cost) bench_machine_cost ;;
	memory) bench_memory ;;
	vm) bench_vm ;;
	*) bench_die "unknown part '$part' (expected draw, round, cost, memory, vm)" ;;
	esac
	[ "$(wc -l <"$rows")" -gt "$rows_before" ] || broken "$part" "gave no rows"
done

machine="$(nproc) CPUs, kernel $(uname -r), $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
{
	echo "# lottery benchmarks$([ $quick -eq 1 ] && echo ' (quick run: too few repetitions to quote)')"
	echo
	echo "$(date -u '+%Y-%m-%d %H:%M UTC') on $machine; load average before: $load_before."
	echo "Command: \`sudo make bench$([ $quick -eq 1 ] && echo -quick)\` (bench/run.sh)."
	echo
	echo "| metric | value | target | verdict |"
	echo "| --- | --- | --- | --- |"
	awk -F'\t' '{ printf "| %s | %s | %s | %s |\n", $1, $2, $3, $4 }' "$rows"
} >"$results"

awk -F'\t' -v machine="$machine" '
	{ for (i = 1; i <= 4; i++) { cell[NR, i] = $i; if (length($i) > w[i]) w[i] = length($i) } }
	END {
		print "lottery benchmarks, " machine
		split("metric value target verdict", head, " ")
		for (i = 1; i <= 4; i++) if (length(head[i]) > w[i]) w[i] = length(head[i])
		fmt = "%-" w[1] "s  %-" w[2] "s  %-" w[3] "s  %s\n"
		printf fmt, head[1], head[2], head[3], head[4]
		for (r = 1; r <= NR; r++) printf fmt, cell[r, 1], cell[r, 2], cell[r, 3], cell[r, 4]
	}' "$rows"
echo "(also in $results)"
[ "$bench_failures" -eq 0 ]
