# The draw, on one load of the scheduler (loading takes 20-25 s under TCG):
# - fairness: two busy loops pinned to one CPU at tickets r:1, r = 1, 2, 3,
#   5, 10, 20, one pair per CPU per window, tickets changed between windows
#   through --tickets-file and SIGHUP;
# - default tickets: nice 0 against nice 5 share a CPU 1024:335 (the kernel's
#   sched_prio_to_weight), a SCHED_IDLE loop beside them holds the kernel's
#   idle weight (WEIGHT_IDLEPRIO, 3), not its nice value's, and three loops
#   at 30:20:10 share one 3:2:1;
# - partial mode: the managed tasks are SCHED_EXT, no other task ever is, and
#   each gets its own policy back at the end (one was SCHED_BATCH, one
#   SCHED_IDLE).
# Tasks not measured in a window are stopped (SIGSTOP), so they take no part.
# Until the scheduler runs they sit at nice 19, so that the loader (whose
# verification is CPU-bound) is not slowed tenfold by them; tickets come from
# the tickets file, and the nice pair gets its nice values once it runs.
# CPU time comes from /proc/PID/schedstat.
#
# The bound. The loops are always runnable, so every draw on their CPU is an
# independent trial that A wins with p = tA / (tA + tB), and each win runs its
# winner for one slice. After n draws A's share of the slices has mean p and
# standard deviation sqrt(p (1 - p) / n) (binomial; for three tasks each one's
# share against the others' is binomial too). CPU time counts slices, so its
# share is the share of wins, give or take the one slice that the window's
# edges may cut: 1 / n. We allow 4 standard deviations, which a correct draw
# exceeds with probability 6e-5 per check, plus that slice. n is the draws in
# the window: the pair's CPU time in it over the mean time one of its wins
# ran (lottery's summary: wins and CPU time). A draw that ignores tickets, is
# biased, or draws among queued tasks only (two loops then alternate) falls
# far outside it from 2:1 on.
. /vmtest/lib.sh
. /vmtest/scx.sh
need_lottery_scx chrt
window=${VMTEST_FAIR_WINDOW:-4}
ratios=${VMTEST_FAIR_RATIOS:-1 2 3 5 10 20}
cpus=$(nproc)
echo "$cpus cpus, one pair per cpu, $window s windows, slice $SCX_SLICE_MS ms"

# Pair s on CPU s + 1 (CPU 0, where the shell and lottery run too, last).
pairs= all=
for s in $(seq 0 $((cpus - 1))); do
	spawn_at_nice 19 300 $(( (s + 1) % cpus ))
	a=$spawned_pid
	spawn_at_nice 19 300 $(( (s + 1) % cpus ))
	pairs="$pairs $a:$spawned_pid"
	all="$all $a $spawned_pid"
done
spawn_at_nice 19 300 1
n0=$spawned_pid
spawn_at_nice 19 300 1
n5=$spawned_pid
spawn_at_nice 0 300 1
idle=$spawned_pid
three=
for t in 30 20 10; do
	spawn_at_nice 19 300 0
	three="$three $spawned_pid"
done
later="$n0 $n5 $idle $three"
chrt --batch -p 0 $n0 || fail "chrt --batch of pid $n0 failed"
chrt --idle -p 0 $idle || fail "chrt --idle of pid $idle failed"

# The tickets of the window's pairs, and of the three; nice 0:5 keep theirs.
tickets=/tmp/lottery.tickets
set_ratios() {
	local s=0 pair
	: >$tickets.new
	for pair in $pairs; do
		[ $# -gt 0 ] || break
		echo "${pair%:*} $(($1 * 100))" >>$tickets.new
		echo "${pair#*:} 100" >>$tickets.new
		shift
	done
	set -- $three
	echo "$1 3000
$2 2000
$3 1000" >>$tickets.new
	mv $tickets.new $tickets
}
set -- $ratios
set_ratios "$@"
managed=
for pid in $all $later; do managed="$managed --pid $pid"; done
start_lottery /tmp/lottery.out --enforce --mechanism kernel --slice $SCX_SLICE_MS --json \
	--tickets-file $tickets $managed 1000
# (lottery refuses to take on a stopped task, so they stop only now)
kill -STOP $later
renice 0 -p $n0 >/dev/null && renice 5 -p $n5 >/dev/null || fail "renice of $n0 and $n5 failed"

# Partial mode: every thread of the machine, once per window.
check_policies() {
	local sched tid policy
	for sched in /proc/[0-9]*/task/[0-9]*/sched; do
		tid=${sched%/sched}
		tid=${tid##*/}
		policy=$(awk '$1 == "policy" {print $3}' "$sched" 2>/dev/null) || continue
		case " $all $later " in
		*" $tid "*) [ "$policy" = $SCHED_EXT ] ||
			fail "managed task $tid has policy $policy, not SCHED_EXT ($SCHED_EXT)" ;;
		*) [ "$policy" != $SCHED_EXT ] ||
			fail "task $tid ($(cat /proc/$tid/comm 2>/dev/null)) is SCHED_EXT but not managed" ;;
		esac
	done
}

results=/tmp/lottery.windows
: >$results
while [ $# -gt 0 ]; do
	now="$*"
	set_ratios "$@"
	kill -HUP $lottery_pid
	sleep 0.5
	check_policies
	cpu_over_window $all | paste -d' ' - - >/tmp/window.cpu
	i=1
	for r in $now; do
		[ $i -le $cpus ] || break
		echo "$r $(sed -n "${i}p" /tmp/window.cpu) $(echo $pairs | cut -d' ' -f$i | tr : ' ')" >>$results
		i=$((i + 1))
		shift
	done
done
check_policies
echo "partial mode: $(echo $all $later | wc -w) managed tasks SCHED_EXT, no other thread"

# The last window: nice 0:5 and SCHED_IDLE on CPU 1, 30:20:10 on CPU 0.
kill -STOP $all
kill -CONT $later
sleep 0.5
set -- $(cpu_over_window $n0 $n5 $three $idle)
idle_ns=$6
kill -CONT $all
stop_lottery
[ $lottery_status -eq 0 ] || { cat /tmp/lottery.out.err; fail "lottery exited $lottery_status"; }
grep -q 'reread' /tmp/lottery.out.err || fail "lottery did not say it reread $tickets"

while read -r r na nb a b; do
	n=$(draws_in_window /tmp/lottery.out $((na + nb)) $a $b)
	p=$(awk -v r=$r 'BEGIN { print r / (r + 1) }')
	echo "$r:1: $n draws in the window"
	check_share "lottery $r:1" $p $na $nb "$(lottery_bound $p $n)"
done <$results

n=$(draws_in_window /tmp/lottery.out $(($1 + $2)) $n0 $n5)
p=$(awk 'BEGIN { print 1024 / (1024 + 335) }')
echo "nice 0:5: $n draws"
check_share "lottery nice 0:5" $p $1 $2 "$(lottery_bound $p $n)"
# At its nice value's weight (1024) it would take 43% of the CPU.
n=$(draws_in_window /tmp/lottery.out $(($1 + $2 + idle_ns)) $n0 $n5 $idle)
p=$(awk 'BEGIN { print 3 / (3 + 1024 + 335) }')
echo "SCHED_IDLE beside nice 0:5: $n draws"
check_share "lottery SCHED_IDLE" $p $idle_ns $(($1 + $2)) "$(lottery_bound $p $n)"
shift 2
n=$(draws_in_window /tmp/lottery.out $(($1 + $2 + $3)) $three)
echo "30:20:10: $n draws"
check_share "lottery 30 of 30:20:10" 0.5 $1 $(($2 + $3)) "$(lottery_bound 0.5 $n)"
p=$(awk 'BEGIN { print 1 / 3 }')
check_share "lottery 20 of 30:20:10" $p $2 $(($1 + $3)) "$(lottery_bound $p $n)"
p=$(awk 'BEGIN { print 1 / 6 }')
check_share "lottery 10 of 30:20:10" $p $3 $(($1 + $2)) "$(lottery_bound $p $n)"

for pid in $all $n5 $three; do
	[ "$(policy_of $pid)" = $SCHED_NORMAL ] || fail "pid $pid has policy $(policy_of $pid) after lottery"
done
[ "$(policy_of $n0)" = $SCHED_BATCH ] || fail "pid $n0 has policy $(policy_of $n0) after lottery, not SCHED_BATCH"
[ "$(policy_of $idle)" = $SCHED_IDLE ] || fail "pid $idle has policy $(policy_of $idle) after lottery, not SCHED_IDLE"
echo "after lottery: every managed task has its own policy back"
