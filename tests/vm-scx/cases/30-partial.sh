# Partial mode (--enforce --pid): only the managed tasks are SCHED_EXT
# (/proc/PID/sched), every other task of the machine never is, and each
# managed task gets its own policy back when lottery ends (one of them was
# SCHED_BATCH).
. /vmtest/lib.sh
. /vmtest/scx.sh
need lottery cpu_task chrt
need_scx
spawn_at_nice 0 60 1
a=$spawned_pid
spawn_at_nice 0 60 1
b=$spawned_pid
chrt --batch -p 0 $b || fail "chrt --batch of pid $b failed"
spawn_at_nice 0 60 1
unmanaged=$spawned_pid
start_lottery /tmp/partial.out --enforce --mechanism kernel --pid $a --pid $b 200
# Every thread of the machine, a few times while lottery runs.
for round in 1 2 3 4 5; do
	for sched in /proc/[0-9]*/task/[0-9]*/sched; do
		tid=${sched%/sched}
		tid=${tid##*/}
		policy=$(awk '$1 == "policy" {print $3}' "$sched" 2>/dev/null) || continue
		case $tid in
		$a | $b) [ "$policy" = $SCHED_EXT ] ||
			fail "round $round: managed task $tid has policy $policy, not SCHED_EXT ($SCHED_EXT)" ;;
		*) [ "$policy" != $SCHED_EXT ] ||
			fail "round $round: task $tid ($(cat /proc/$tid/comm 2>/dev/null)) is SCHED_EXT but not managed" ;;
		esac
	done
	sleep 0.2
done
echo "managed $a $b: SCHED_EXT; $(ls -d /proc/[0-9]*/task/[0-9]* | wc -l) other threads never"
stop_lottery
[ $lottery_status -eq 0 ] || { cat /tmp/partial.out.err; fail "lottery exited $lottery_status"; }
[ "$(policy_of $a)" = $SCHED_NORMAL ] || fail "pid $a has policy $(policy_of $a) after lottery, not SCHED_NORMAL"
[ "$(policy_of $b)" = $SCHED_BATCH ] || fail "pid $b has policy $(policy_of $b) after lottery, not SCHED_BATCH"
[ "$(policy_of $unmanaged)" = $SCHED_NORMAL ] || fail "unmanaged pid $unmanaged has policy $(policy_of $unmanaged)"
echo "after lottery: $a SCHED_NORMAL, $b SCHED_BATCH again"
