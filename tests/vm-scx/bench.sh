#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The sched_ext part of `make bench`: boots the sched_ext VM with
# bench/50-scx-bench.sh and prints the BPF run time per ops.dispatch and
# ops.enqueue call, lottery's draw against a FIFO queue, at 10, 1 000 and
# 10 000 runnable threads, and a pipe ping-pong under EEVDF, lottery and
# stride, as ratios measured in the same VM run.
#
#   usage: bench.sh [--bin-dir DIR] [--out DIR] [--kernel-dir DIR] [--quick]
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
bin_dir=$repo/build/cmake/bin
out=$repo/build/bench/vm-scx
kernel_dir=
tasks=10,1000,10000 seconds=5 rounds=20000
while [ $# -gt 0 ]; do
	case $1 in
	--bin-dir) bin_dir=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--kernel-dir) kernel_dir=$2; shift 2 ;;
	--quick) tasks=10,100 seconds=2 rounds=1000; shift ;;
	*) echo "lottery: scx bench: unknown option $1" >&2; exit 2 ;;
	esac
done
# The kernel the scheduler was compiled against: the build's scx-kernel.
kernel_dir=${kernel_dir:-$(cd "$bin_dir/.." && pwd)/scx-kernel}
mkdir -p "$out"
for program in spin_threads pipe_pingpong; do
	[ -x "$bin_dir/$program" ] || { echo "lottery: scx bench: $bin_dir/$program is missing: make build" >&2; exit 1; }
done
# bpftool reads the run-time statistics; its libraries as files, not links.
libs=()
for lib in $(ldd /usr/sbin/bpftool | grep -o '/[^ ]*'); do
	libs+=(--add "$(readlink -f "$lib")=$lib")
done
status=0
"$here/run.sh" --kernel-dir "$kernel_dir" --bin-dir "$bin_dir" --out "$out" --cases "$here/bench" -- \
	--add "$bin_dir/spin_threads=/usr/bin/spin_threads" --add "$bin_dir/pipe_pingpong=/usr/bin/pipe_pingpong" --add /usr/sbin/bpftool=/usr/sbin/bpftool "${libs[@]}" \
	--env "SCX_BENCH_TASKS=$tasks" --env "SCX_BENCH_SECONDS=$seconds" --env "SCX_BENCH_ROUNDS=$rounds" \
	--timeout 900 >"$out/vm.log" 2>&1 || status=$?
[ $status -eq 0 ] || { tail -n 20 "$out/vm.log" >&2; echo "lottery: scx bench: the VM run failed (log $out/vm.log)" >&2; exit 1; }
grep -o 'SCXBENCH .*' "$out/console.log" >"$out/results.txt"
grep 'pingpong=' "$out/results.txt" | sed 's/^SCXBENCH /pipe ping-pong: /'
grep -v 'pingpong=' "$out/results.txt" | awk '
	{ for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
	  key = v["tasks"] " " v["prog"]; ns[v["mode"], key] = v["ns_per_call"]; keys[key] = 1 }
	END {
		printf "%-28s %10s %10s %8s\n", "tasks, program", "fifo ns", "lottery ns", "ratio"
		for (k in keys) if (ns["fifo", k] > 0)
			printf "%-28s %10s %10s %7.2fx\n", k, ns["fifo", k], ns["lottery", k], ns["lottery", k] / ns["fifo", k]
	}' | sort -n
