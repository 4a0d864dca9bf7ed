# cgroup cpu.weight as a currency, whole machine (--whole-machine): a
# cgroup's runnable tasks share a funding proportional to its cpu.weight,
# as CFS's group entities do, so a cgroup's share of the CPU does not grow
# with its number of runnable tasks. On one CPU (1), in cgroups made here:
# - A (weight 100) runs 1 busy loop, B (weight 100) runs 3: half each (as a
#   multiplier of tasks' tickets, cpu.weight gave B three quarters);
# - A set to weight 200, two of B's loops stopped (SIGSTOP): 2:1.
# The loops start once the scheduler runs (they would slow the loader).
#
# The share checked is of the draws' wins: every draw on the CPU between the
# two cgroups' loops is won by A with p = A's funding over both, so the
# bound is lottery_bound's (see 10-lottery.sh) over those draws. The wins
# come from lottery's per-second statistics (--json) printed during the
# window, the first one left out (its second may start before the window).
# CPU time is checked too, with 0.05 more: under TCG, it seems, a loop kept for
# another slice (it won the draw that followed its own) runs longer than
# one switched in, and A's one loop is kept three times as often as each of
# B's (0.48-0.55 of the CPU for A, 0.47-0.52 of the wins, in the README's runs).
# Tickets multiplied by cpu.weight (the way before) would give A a quarter.
. /vmtest/lib.sh
. /vmtest/scx.sh
need_lottery_scx
window=${VMTEST_CGROUP_WINDOW:-8}
cg=/sys/fs/cgroup
grep -q cgroup2 /proc/filesystems || skip "no cgroup2 in this kernel"
grep -q " $cg cgroup2 " /proc/mounts || mount -t cgroup2 none $cg || fail "mounting cgroup2 on $cg failed"
grep -qw cpu $cg/cgroup.controllers || skip "no cpu controller in cgroup2"
echo +cpu >$cg/cgroup.subtree_control || fail "enabling the cpu controller failed"
mkdir -p $cg/A $cg/B
echo 100 >$cg/A/cpu.weight
echo 100 >$cg/B/cpu.weight
start_lottery /tmp/cgroup.out --whole-machine --slice $SCX_SLICE_MS --json --no-compensation 1000
spawn_at_nice 0 300 1
a=$spawned_pid
echo $a >$cg/A/cgroup.procs
b=
for _ in 1 2 3; do
	spawn_at_nice 0 300 1
	echo $spawned_pid >$cg/B/cgroup.procs
	b="$b $spawned_pid"
done
set -- $b
b1=$1 b2=$2 b3=$3
sleep 0.5

# check_window WHAT EXPECTED: A's share of the draws over the window against B's.
check_window() {
	local ns a_ns b_ns from a_wins b_wins
	from=$(wc -l </tmp/cgroup.out)
	ns=$(cpu_over_window $a $b1 $b2 $b3)
	a_ns=$(echo "$ns" | head -n 1)
	b_ns=$(echo "$ns" | tail -n +2 | awk '{ s += $1 } END { print s }')
	a_wins=$(wins_since /tmp/cgroup.out $from $a)
	b_wins=$(wins_since /tmp/cgroup.out $from $b1 $b2 $b3)
	echo "lottery's last statistics: $(grep '^{"seconds"' /tmp/cgroup.out | tail -n 1 | cut -c1-1200)"
	echo "CPU ns in $window s: A $a_ns, B $b_ns (by task: $(echo $ns))"
	echo "wins: A $a_wins, B $b_wins"
	[ $((a_wins + b_wins)) -gt 0 ] || fail "$1: no wins in lottery's statistics"
	check_share "$1 (wins)" "$2" $a_wins $b_wins "$(lottery_bound "$2" $((a_wins + b_wins)))"
	check_share "$1 (CPU time)" "$2" $a_ns $b_ns \
		"$(lottery_bound "$2" $((a_wins + b_wins)) | awk '{ print $1 + 0.05 }')"
}
check_window "weights 100:100, A 1 loop, B 3 loops" 0.5
echo 200 >$cg/A/cpu.weight
kill -STOP $b2 $b3
sleep 0.5
check_window "weights 200:100, 1 loop each" 0.666667
kill -CONT $b2 $b3
stop_lottery
[ $lottery_status -eq 0 ] || { cat /tmp/cgroup.out.err; fail "lottery exited $lottery_status"; }
