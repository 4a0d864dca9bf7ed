# The sched_ext benchmark (tests/vm-scx/bench.sh boots it): the BPF run time
# per call of ops.dispatch and ops.enqueue (kernel.bpf_stats_enabled) with
# SCX_BENCH_TASKS runnable threads, for the lottery draw and for the same
# scheduler with one FIFO queue (LOTTERY_SCX_BENCH_FIFO), whole machine, one
# load per mode. Emulation makes absolute times meaningless: compare the
# ratios, and how they grow with the number of tasks (log n for the draw).
# Then a pipe ping-pong (as `perf bench sched pipe`: ns per round trip)
# under EEVDF, lottery and stride.
# Every result is a line `SCXBENCH mode=M tasks=N prog=P ns_per_call=X calls=C`
# or `SCXBENCH pingpong=POLICY ns_per_round_trip=X`.
. /vmtest/lib.sh
. /vmtest/scx.sh
need_lottery_scx spin_threads bpftool pipe_pingpong
sysctl -w kernel.bpf_stats_enabled=1 >/dev/null
sysctl -w kernel.threads-max=40000 >/dev/null
seconds=${SCX_BENCH_SECONDS:-5}
tasks=$(echo "${SCX_BENCH_TASKS:-10,1000,10000}" | tr , ' ')

# stats: "name run_time_ns run_cnt" of the scheduler's programs.
stats() {
	bpftool prog show 2>/dev/null | awk '/^[0-9]+: struct_ops/ {
		name = ""; t = 0; c = 0
		for (i = 1; i <= NF; i++) {
			if ($i == "name") name = $(i + 1)
			if ($i == "run_time_ns") t = $(i + 1)
			if ($i == "run_cnt") c = $(i + 1)
		}
		print name, t + 0, c + 0 }'
}

rounds=${SCX_BENCH_ROUNDS:-20000}
# pingpong POLICY: the median of three runs.
pingpong() {
	local r
	for r in 1 2 3; do pipe_pingpong $rounds; done | sort -n | sed -n 2p |
		sed "s/^/SCXBENCH pingpong=$1 ns_per_round_trip=/"
}
pingpong eevdf

for mode in fifo lottery stride; do
	if [ $mode = fifo ]; then
		LOTTERY_SCX_BENCH_FIFO=1 start_lottery /tmp/bench.out --whole-machine 1000
	else
		start_lottery /tmp/bench.out --whole-machine --policy $mode 1000
		pingpong $mode
	fi
	[ $mode != stride ] || { stop_lottery; continue; }
	for n in $tasks; do
		spin_threads $n >/tmp/spin.out &
		spinner=$!
		spawned="$spawned $spinner"
		while [ ! -s /tmp/spin.out ]; do sleep 0.2; done
		sleep 1
		stats >/tmp/stats.0
		sleep $seconds
		stats >/tmp/stats.1
		kill $spinner
		wait $spinner 2>/dev/null || true
		# The same programs in the same order: side by side.
		paste -d' ' /tmp/stats.0 /tmp/stats.1 | awk '{ print $1, $2, $3, $5, $6 }' >/tmp/stats.j
		started=$(cat /tmp/spin.out)
		# Program names are cut to 15 characters (lottery_dispatc).
		awk -v mode=$mode -v n=$started '$1 ~ /disp|enq/ && $5 > $3 {
			printf "SCXBENCH mode=%s tasks=%d prog=%s ns_per_call=%.0f calls=%d\n",
				mode, n, $1, ($4 - $2) / ($5 - $3), $5 - $3; found = 1 }
			END { if (!found) printf "SCXBENCH mode=%s tasks=%d no run_time_ns for dispatch or enqueue\n", mode, n }' /tmp/stats.j
		grep -q . /tmp/stats.j || { echo "bpftool prog show:"; bpftool prog show 2>&1 | head -n 20; }
		rm -f /tmp/spin.out
	done
	stop_lottery
done
