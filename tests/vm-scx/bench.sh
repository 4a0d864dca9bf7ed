#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The sched_ext part of `make bench`: boots the sched_ext VM with
# bench/50-scx-bench.sh and prints the BPF run time per ops.dispatch and
# ops.enqueue call, lottery's draw against a FIFO queue, at 10, 1 000 and
# 10 000 runnable threads, and a pipe ping-pong and a hackbench-like
# messaging load under EEVDF, lottery and stride, as ratios measured in the
# same VM run.
#
#   usage: bench.sh [--bin-dir DIR] [--out DIR] [--kernel-dir DIR] [--quick]
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
bin_dir=$repo/build/cmake/bin
out=$repo/build/bench/vm-scx
kernel_dir=
tasks=10,1000,10000 seconds=5 rounds=20000 messaging=10,10,50 repeats=5
while [ $# -gt 0 ]; do
	case $1 in
	--bin-dir) bin_dir=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--kernel-dir) kernel_dir=$2; shift 2 ;;
	--quick) tasks=10,100 seconds=2 rounds=1000 messaging=2,5,20 repeats=1; shift ;;
	*) echo "lottery: scx bench: unknown option $1" >&2; exit 2 ;;
	esac
done
# The kernel the scheduler was compiled against: the build's scx-kernel.
kernel_dir=${kernel_dir:-$(cd "$bin_dir/.." && pwd)/scx-kernel}
mkdir -p "$out"
for program in spin_threads pipe_pingpong messaging; do
	[ -x "$bin_dir/$program" ] || { echo "lottery: scx bench: $bin_dir/$program is missing: make build" >&2; exit 1; }
done
# bpftool reads the run-time statistics; its libraries as files, not links.
libs=()
for lib in $(ldd /usr/sbin/bpftool | grep -o '/[^ ]*'); do
	libs+=(--add "$(readlink -f "$lib")=$lib")
done
status=0
"$here/run.sh" --kernel-dir "$kernel_dir" --bin-dir "$bin_dir" --out "$out" --cases "$here/bench" -- \
	--add "$bin_dir/spin_threads=/usr/bin/spin_threads" --add "$bin_dir/pipe_pingpong=/usr/bin/pipe_pingpong" \
	--add "$bin_dir/messaging=/usr/bin/messaging" --add /usr/sbin/bpftool=/usr/sbin/bpftool "${libs[@]}" \
	--env "SCX_BENCH_TASKS=$tasks" --env "SCX_BENCH_SECONDS=$seconds" --env "SCX_BENCH_ROUNDS=$rounds" \
	--env "SCX_BENCH_MESSAGING=$messaging" --env "SCX_BENCH_REPEATS=$repeats" \
	--env VMTEST_CASE_TIMEOUT=1700 --timeout 1800 >"$out/vm.log" 2>&1 || status=$?
[ $status -eq 0 ] || { tail -n 20 "$out/vm.log" >&2; echo "lottery: scx bench: the VM run failed (log $out/vm.log)" >&2; exit 1; }
grep -o 'SCXBENCH .*' "$out/console.log" | tr -d '\r' >"$out/results.txt"
# The loads against EEVDF's, round by round in the same boot: the median
# time, and the median and range of the rounds' ratios to EEVDF.
grep -E 'SCXBENCH (pingpong|pingpong_cpu0|messaging)=' "$out/results.txt" | awk '
	function median(list,   n, a, i, j, t) {
		n = split(list, a, " ")
		for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
		lo = a[1]; hi = a[n]
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	}
	{ split($2, w, "="); split($3, r, "="); split($4, t, "=")
	  v[w[1], w[2], r[2]] = t[2]; unit[w[1]] = t[1] == "us" ? "us" : "ns"; times[w[1], w[2]] = times[w[1], w[2]] " " t[2]
	  if (r[2] > rounds) rounds = r[2] }
	END {
		printf "%-14s %-8s %12s %10s %16s  %s\n", "load", "policy", "median", "vs EEVDF", "range of rounds", "rounds"
		n = split("pingpong pingpong_cpu0 messaging", loads, " ")
		for (i = 1; i <= n; i++) for (j = 1; j <= 3; j++) {
			l = loads[i]; p = j == 1 ? "eevdf" : j == 2 ? "lottery" : "stride"
			if (!((l, p) in times)) continue
			ratios = ""
			for (k = 1; k <= rounds; k++)
				if (v[l, "eevdf", k] > 0 && (l, p, k) in v) ratios = ratios " " v[l, p, k] / v[l, "eevdf", k]
			m = median(times[l, p])
			ratio = median(ratios)
			printf "%-14s %-8s %9d %s %9.2fx %7.2f-%.2fx  %d\n", l, p, m, unit[l], ratio, lo, hi, split(ratios, x, " ")
		}
	}'
# Where the ping-pong's time goes: the scheduler's BPF programs per round trip.
grep 'bpf_in_pingpong=' "$out/results.txt" | sed 's/^SCXBENCH //'
# The draw against the FIFO queue, per program and number of tasks.
grep 'mode=' "$out/results.txt" | grep -v missing | awk '
	{ for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
	  key = sprintf("%6d %s", v["tasks"], v["prog"]); ns[v["mode"], key] = v["ns_per_call"]
	  calls[v["mode"], key] = v["calls"]; keys[key] = 1 }
	END {
		printf "%6s %-16s %9s %7s %11s %7s %7s\n", "tasks", "program", "fifo ns", "calls", "lottery ns", "calls", "ratio"
		for (k in keys) if (ns["fifo", k] > 0)
			printf "%s %9s %7s %11s %7s %6.2fx\n", sprintf("%6d %-16s", substr(k, 1, 6), substr(k, 8)),
				ns["fifo", k], calls["fifo", k], ns["lottery", k], calls["lottery", k], ns["lottery", k] / ns["fifo", k]
	}' | sort -n
grep 'missing' "$out/results.txt" || true
