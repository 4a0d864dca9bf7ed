# A scheduler that starves a task is ejected by the kernel, and lottery says
# so: the test switch LOTTERY_SCX_TEST_STARVE=PID makes the BPF side never
# draw that process. With the default watchdog (30 s) the kernel disables the
# scheduler ("runnable task stall"); lottery prints the kernel's reason,
# restores the managed tasks' policies and exits 1. (The loops run at nice 19,
# so that they do not slow the loader.)
. /vmtest/lib.sh
. /vmtest/scx.sh
need_lottery_scx
spawn_at_nice 19 300 1
a=$spawned_pid
spawn_at_nice 19 300 1
starved=$spawned_pid
LOTTERY_SCX_TEST_STARVE=$starved start_lottery /tmp/eject.out --enforce --mechanism kernel \
	--pid $a --pid $starved 1000
# The watchdog's 30 s, and some TCG slack.
for _ in $(seq 60); do
	kill -0 $lottery_pid 2>/dev/null || break
	sleep 1
done
kill -0 $lottery_pid 2>/dev/null && fail "lottery still runs 60 s after it started starving pid $starved"
status=0
wait $lottery_pid || status=$?
cat /tmp/eject.out.err
[ $status -eq 1 ] || fail "lottery exited $status after the ejection, not 1"
grep -q 'ejected' /tmp/eject.out.err || fail "lottery did not say the scheduler was ejected"
grep -q 'stall' /tmp/eject.out.err || fail "lottery did not give the kernel's reason (a stall)"
dmesg | grep -q 'disabled (runnable task stall)' || fail "dmesg has no 'disabled (runnable task stall)'"
[ "$(scx_state)" = disabled ] || fail "sched_ext is $(scx_state) after the ejection"
for pid in $a $starved; do
	[ "$(policy_of $pid)" = $SCHED_NORMAL ] || fail "pid $pid has policy $(policy_of $pid) after the ejection"
done
echo "ejected, reported, exit 1, policies back"
