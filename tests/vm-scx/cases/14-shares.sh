# Default tickets and more than two tasks: busy loops at nice 0 and nice 5
# (no --tickets) share a CPU 1024:335, the kernel's sched_prio_to_weight; three
# at tickets 30:20:10 share the other CPU 3:2:1. The bounds are those of
# 10-fairness.sh: each task's share of n draws is binomial around its
# tickets' share p, within 4 sqrt(p (1 - p) / n) + 1 / n.
. /vmtest/lib.sh
. /vmtest/scx.sh
need lottery cpu_task
need_scx
window=${VMTEST_SHARES_WINDOW:-4}
other=0
spawn_at_nice 0 60 1
n0=$spawned_pid
spawn_at_nice 5 60 1
n5=$spawned_pid
args="--pid $n0 --pid $n5"
three=
for t in 30 20 10; do
	spawn_at_nice 0 60 $other
	three="$three $spawned_pid"
	args="$args --pid $spawned_pid --tickets $spawned_pid=$t"
done
start_lottery /tmp/shares.out --enforce --mechanism kernel --slice $SCX_SLICE_MS \
	--json $args 1000
sleep 0.3
set -- $(cpu_over_window $n0 $n5 $three)
stop_lottery
[ $lottery_status -eq 0 ] || { cat /tmp/shares.out.err; fail "lottery exited $lottery_status"; }

# draws PID...: the draws these tasks took part in during the window, from
# their CPU time in it ($cpu_ns) and the mean time a win ran (the summary).
draws() {
	local w=0 ran=0 pid
	for pid; do
		w=$((w + $(summary_field $pid wins /tmp/shares.out)))
		ran=$((ran + $(summary_field $pid cpu_ns /tmp/shares.out)))
	done
	[ $w -gt 0 ] && [ $ran -gt 0 ] || fail "no wins or CPU time in lottery's summary"
	awk -v w=$w -v ran=$ran -v cpu=$cpu_ns 'BEGIN { printf "%d\n", cpu / (ran / w) }'
}

cpu_ns=$(($1 + $2))
n=$(draws $n0 $n5)
p=$(awk 'BEGIN { print 1024 / (1024 + 335) }')
echo "nice 0:5: $n draws"
check_share "lottery nice 0:5" $p $1 $2 "$(lottery_bound $p $n)"

shift 2
cpu_ns=$(($1 + $2 + $3))
n=$(draws $three)
echo "30:20:10: $n draws"
check_share "lottery 30 of 30:20:10" 0.5 $1 $(($2 + $3)) "$(lottery_bound 0.5 $n)"
p=$(awk 'BEGIN { print 1 / 3 }')
check_share "lottery 20 of 30:20:10" $p $2 $(($1 + $3)) "$(lottery_bound $p $n)"
p=$(awk 'BEGIN { print 1 / 6 }')
check_share "lottery 10 of 30:20:10" $p $3 $(($1 + $2)) "$(lottery_bound $p $n)"
