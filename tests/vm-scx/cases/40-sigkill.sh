# SIGKILL of lottery at random points, while it loads the scheduler (20-25 s
# under TCG: the verifier) and while the scheduler runs: within one second
# the kernel is back on its own scheduler (/sys/kernel/sched_ext/state) and
# each managed task has its own policy back (one SCHED_NORMAL, one
# SCHED_BATCH), every time. The loops run at nice 19, so that they do not
# slow the loader.
. /vmtest/lib.sh
. /vmtest/scx.sh
need_lottery_scx chrt
kills=${VMTEST_KILLS:-2} # of each kind
seed=${VMTEST_SEED:-$$}
RANDOM=$seed
echo "seed $seed (VMTEST_SEED=$seed repeats the delays)"
spawn_at_nice 19 300 1
a=$spawned_pid
spawn_at_nice 19 300 1
b=$spawned_pid
chrt --batch -p 0 $b || fail "chrt --batch of pid $b failed"

# kill_at WHEN MS: starts lottery, waits until WHEN (start, or enabled: then
# $load_ms is how long loading took), then MS more, kills it and checks the
# machine is back.
kill_at() {
	lottery --enforce --mechanism kernel --pid $a --pid $b 200 >/tmp/kill.out 2>&1 &
	pid=$!
	spawned="$spawned $pid"
	if [ $1 = enabled ]; then
		load_ms=$(wait_scx_state enabled 120)
	fi
	sleep "$(awk -v ms=$2 'BEGIN { print ms / 1000 }')"
	was=$(scx_state)
	kill -KILL $pid
	wait $pid 2>/dev/null || true
	ms=$(wait_scx_state disabled 1)
	for _ in $(seq 20); do
		[ "$(policy_of $a)" = $SCHED_NORMAL ] && [ "$(policy_of $b)" = $SCHED_BATCH ] && break
		sleep 0.05
	done
	[ "$(policy_of $a)" = $SCHED_NORMAL ] ||
		fail "killed $2 ms after $1 ($was): pid $a has policy $(policy_of $a), not SCHED_NORMAL"
	[ "$(policy_of $b)" = $SCHED_BATCH ] ||
		fail "killed $2 ms after $1 ($was): pid $b has policy $(policy_of $b), not SCHED_BATCH"
	echo "killed $2 ms after $1, while $was: disabled after $ms ms, policies back"
}

# Killed while it runs, then at a random point of a load as long as the last.
for _ in $(seq $kills); do
	kill_at enabled $((RANDOM % 2000))
	kill_at start $((RANDOM % (load_ms + 1)))
done
