# The sched_ext benchmark (tests/vm-scx/bench.sh boots it), all in one boot:
# 1. The BPF run time per call of ops.dispatch and ops.enqueue
#    (kernel.bpf_stats_enabled) with SCX_BENCH_TASKS runnable threads
#    (spin_threads: each yields after a short spin, a draw at every yield), for
#    the lottery draw and for the same scheduler as one FIFO queue
#    (LOTTERY_SCX_BENCH_FIFO: a BPF queue of pids whose head is dispatched by
#    reference, as a draw's winner is), whole machine. Emulation makes absolute times
#    meaningless: compare the ratios, and how they grow with the number of
#    tasks.
# 2. A pipe ping-pong (as `perf bench sched pipe`: ns per round trip) and a
#    hackbench-like messaging load (us for the whole exchange) under EEVDF,
#    lottery and stride, SCX_BENCH_REPEATS rounds of one run each.
# This script runs as SCHED_FIFO: real-time tasks come before sched_ext's,
# so the VM stays responsive with 10 000 spinners and the statistics are
# read while they all run; every load is started as SCHED_OTHER.
# Every result is a line `SCXBENCH mode=M tasks=N prog=P ns_per_call=X calls=C`,
# `SCXBENCH pingpong=POLICY round=R ns_per_round_trip=X` (also
# pingpong_cpu0), `SCXBENCH messaging=POLICY round=R us=X` or
# `SCXBENCH bpf_in_pingpong=POLICY prog=P ns_per_round_trip=X calls_per_round_trip=C`.
. /vmtest/lib.sh
. /vmtest/scx.sh
need_lottery_scx spin_threads bpftool pipe_pingpong messaging chrt
chrt -f -p 10 $$ >/dev/null || fail "cannot make the benchmark shell SCHED_FIFO"
sysctl -w kernel.bpf_stats_enabled=1 >/dev/null
sysctl -w kernel.threads-max=40000 >/dev/null
sysctl -w kernel.pid_max=65536 >/dev/null
seconds=${SCX_BENCH_SECONDS:-5}
tasks=$(echo "${SCX_BENCH_TASKS:-10,1000,10000}" | tr , ' ')
rounds=${SCX_BENCH_ROUNDS:-20000}
repeats=${SCX_BENCH_REPEATS:-5}
messaging_args=$(echo "${SCX_BENCH_MESSAGING:-10,10,50}" | tr , ' ')

# progress WHAT: on the console as the run goes (init shows a case's
# output only when it ends).
progress() {
	echo "scx bench: $*" >/dev/console 2>/dev/null || true
}

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

# once WHAT POLICY UNIT COMMAND...: one run as SCHED_OTHER, on one line
# with the round it belongs to.
once() {
	local what=$1 policy=$2 unit=$3 result
	shift 3
	result=$(chrt -o 0 "$@") || fail "$what under $policy failed"
	echo "SCXBENCH $what=$policy round=$round $unit=$result"
	progress "$what=$policy round=$round $unit=$result"
}

# loads POLICY: the ping-pong free to use both CPUs and pinned to CPU 0
# (placement and cross-CPU wakeups against the cost of a switch), then the
# messaging load; in the first round, the scheduler's BPF time per round
# trip of the ping-pong.
loads() {
	stats >/tmp/pp.0
	once pingpong $1 ns_per_round_trip pipe_pingpong $rounds
	stats >/tmp/pp.1
	[ $round -gt 1 ] || paste -d' ' /tmp/pp.0 /tmp/pp.1 | awk -v policy=$1 -v trips=$rounds '$6 > $3 {
		printf "SCXBENCH bpf_in_pingpong=%s prog=%s ns_per_round_trip=%.0f calls_per_round_trip=%.2f\n",
			policy, $1, ($5 - $2) / trips, ($6 - $3) / trips }'
	once pingpong_cpu0 $1 ns_per_round_trip taskset -c 0 pipe_pingpong $rounds
	once messaging $1 us messaging $messaging_args
}

# draw_cost MODE: the run time per call of the scheduler's enqueue and
# dispatch over $seconds with N spinning threads, for each N.
draw_cost() {
	local n spinner started
	for n in $tasks; do
		progress "$1 with $n threads"
		rm -f /tmp/spin.out
		# SCHED_IDLE: 3 tickets each, so that the kernel's own threads
		# (RCU's among them, 1 024 tickets) still win a draw every few
		# thousand: at equal tickets one RCU stall ejected the scheduler.
		chrt -i 0 spin_threads $n >/tmp/spin.out &
		spinner=$!
		spawned="$spawned $spinner"
		while [ ! -s /tmp/spin.out ]; do
			kill -0 $spinner 2>/dev/null || fail "spin_threads $n ended at start"
			sleep 0.2
		done
		started=$(cat /tmp/spin.out)
		[ "$started" -eq "$n" ] || echo "spin_threads started $started of $n threads"
		sleep 1
		stats >/tmp/stats.0
		sleep $seconds
		stats >/tmp/stats.1
		echo "tasks queued at the last statistics line: $(tail -n 1 /tmp/bench.out)"
		kill $spinner
		wait $spinner 2>/dev/null || true
		# The same programs in the same order: side by side.
		paste -d' ' /tmp/stats.0 /tmp/stats.1 | awk '{ print $1, $2, $3, $5, $6 }' >/tmp/stats.j
		# Program names are cut to 15 characters (lottery_dispatc).
		awk -v mode=$1 -v n=$started '$1 ~ /disp|enq/ && $5 > $3 {
			printf "SCXBENCH mode=%s tasks=%d prog=%s ns_per_call=%.0f calls=%d\n",
				mode, n, $1, ($4 - $2) / ($5 - $3), $5 - $3; found++ }
			END { if (found < 2) printf "SCXBENCH mode=%s tasks=%d missing run_time_ns of dispatch or enqueue\n", mode, n }' /tmp/stats.j
		grep -q . /tmp/stats.j || { echo "bpftool prog show:"; bpftool prog show 2>&1 | head -n 20; }
	done
}

# The loads round by round, EEVDF, lottery and stride in turn, so that the
# host's load (other VMs, builds) drifts over all three alike.
round=1
while [ $round -le $repeats ]; do
	loads eevdf
	for mode in lottery stride; do
		start_lottery /tmp/bench.out --whole-machine --policy $mode 1000 >/dev/null
		loads $mode
		stop_lottery
	done
	round=$((round + 1))
done
for mode in fifo lottery; do
	if [ $mode = fifo ]; then
		LOTTERY_SCX_BENCH_FIFO=1 start_lottery /tmp/bench.out --whole-machine 1000
	else
		start_lottery /tmp/bench.out --whole-machine 1000
	fi
	draw_cost $mode
	stop_lottery
done
