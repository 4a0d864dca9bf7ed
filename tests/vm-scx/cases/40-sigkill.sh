# SIGKILL of lottery at random points, from before the scheduler is loaded to
# while it runs: within one second the kernel is back on its own scheduler
# (/sys/kernel/sched_ext/state) and each managed task has its own policy
# back (one SCHED_NORMAL, one SCHED_BATCH), every time.
. /vmtest/lib.sh
. /vmtest/scx.sh
need lottery cpu_task chrt
need_scx
kills=${VMTEST_KILLS:-6}
seed=${VMTEST_SEED:-$(date +%s)}
echo "seed $seed (VMTEST_SEED=$seed repeats these delays)"
# The delays, in ms after lottery starts: spread up to 2 s, loading included.
delays=$(awk -v n=$kills -v seed=$seed 'BEGIN { srand(seed); for (i = 0; i < n; i++) printf "%d ", rand() * 2000 }')
spawn_at_nice 0 60 1
a=$spawned_pid
spawn_at_nice 0 60 1
b=$spawned_pid
chrt --batch -p 0 $b || fail "chrt --batch of pid $b failed"
for delay in $delays; do
	lottery --enforce --mechanism kernel --pid $a --pid $b 200 >/tmp/kill.out 2>&1 &
	pid=$!
	sleep "$(awk -v ms=$delay 'BEGIN { print ms / 1000 }')"
	was=$(scx_state)
	kill -KILL $pid
	wait $pid 2>/dev/null || true
	ms=$(wait_scx_state disabled 1)
	# The policies, polled for the rest of that second.
	for _ in $(seq 20); do
		[ "$(policy_of $a)" = $SCHED_NORMAL ] && [ "$(policy_of $b)" = $SCHED_BATCH ] && break
		sleep 0.05
	done
	[ "$(policy_of $a)" = $SCHED_NORMAL ] ||
		fail "killed at $delay ms ($was): pid $a has policy $(policy_of $a), not SCHED_NORMAL"
	[ "$(policy_of $b)" = $SCHED_BATCH ] ||
		fail "killed at $delay ms ($was): pid $b has policy $(policy_of $b), not SCHED_BATCH"
	echo "killed at $delay ms while $was: disabled after $ms ms, policies back"
done
