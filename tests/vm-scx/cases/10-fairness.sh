# Fairness of the draw: two busy loops pinned to one CPU at tickets r:1 for
# r = 1, 2, 3, 5, 10, 20 (one pair per CPU at a time) share that CPU in
# proportion to their tickets, by CPU time from /proc/PID/schedstat.
#
# The bound. Both loops are always runnable, so every draw on their CPU is an
# independent trial that A wins with p = tA / (tA + tB), and each win runs its
# winner for one slice. After n draws A's share of the slices has mean p and
# standard deviation sqrt(p (1 - p) / n) (binomial). CPU time counts slices,
# so its share is the share of wins, give or take the one slice that may be
# cut by the window's edges: 1 / n. We allow 4 standard deviations, which a
# correct draw exceeds with probability 6e-5 per pair, plus that slice.
# n is the draws in the window: its CPU time over the mean time a win ran,
# from lottery's summary (wins and CPU time while it scheduled them). A
# biased draw, a draw that ignores tickets (1:1) or a draw among queued tasks
# only (which alternates two loops) lands far outside it for r >= 2.
. /vmtest/lib.sh
. /vmtest/scx.sh
need lottery cpu_task
need_scx
window=${VMTEST_FAIR_WINDOW:-4}
ratios=${VMTEST_FAIR_RATIOS:-1 2 3 5 10 20}
cpus=$(nproc)
echo "$cpus cpus, a pair per cpu, $window s windows, slice $SCX_SLICE_MS ms"

# measure_pairs RATIO...: one lottery run with a pair at each ratio, pair i
# on CPU i (CPU 0, where the shell and lottery run too, takes the last).
measure_pairs() {
	local args= pids= i=0 r a b
	for r; do
		cpu=$(( (i + 1) % cpus ))
		spawn_at_nice 0 60 $cpu
		a=$spawned_pid
		spawn_at_nice 0 60 $cpu
		b=$spawned_pid
		args="$args --pid $a --pid $b --tickets $a=$((r * 100)) --tickets $b=100"
		pids="$pids $a $b"
		i=$((i + 1))
	done
	start_lottery /tmp/fair.out --enforce --mechanism kernel --slice $SCX_SLICE_MS \
		--json $args 1000
	sleep 0.3
	cpu_over_window $pids >/tmp/fair.cpu
	stop_lottery
	[ $lottery_status -eq 0 ] || { cat /tmp/fair.out.err; fail "lottery exited $lottery_status"; }
	set -- $pids
	i=1
	for r in $ratios_now; do
		a=$1 b=$2
		shift 2
		na=$(sed -n "${i}p" /tmp/fair.cpu) nb=$(sed -n "$((i + 1))p" /tmp/fair.cpu)
		wins=$(( $(summary_field $a wins /tmp/fair.out) + $(summary_field $b wins /tmp/fair.out) ))
		ran=$(( $(summary_field $a cpu_ns /tmp/fair.out) + $(summary_field $b cpu_ns /tmp/fair.out) ))
		[ "$wins" -gt 0 ] && [ "$ran" -gt 0 ] || fail "$r:1: no wins or CPU time in lottery's summary"
		n=$(awk -v w=$wins -v ran=$ran -v cpu=$((na + nb)) 'BEGIN { printf "%d\n", cpu / (ran / w) }')
		p=$(awk -v r=$r 'BEGIN { print r / (r + 1) }')
		echo "$r:1: $n draws in the window (a win ran $((ran / wins / 1000)) us on average)"
		check_share "lottery $r:1" $p $na $nb "$(lottery_bound $p $n)"
		i=$((i + 2))
	done
}

set -- $ratios
while [ $# -gt 0 ]; do
	ratios_now=
	for _ in $(seq $cpus); do
		[ $# -gt 0 ] || break
		ratios_now="$ratios_now $1"
		shift
	done
	rest="$*"
	measure_pairs $ratios_now
	stop_spawned
	set -- $rest
done
