# The whole machine (--whole-machine) under a fork-, pipe- and CPU-heavy load
# for 60 s with the kernel's default watchdog (30 s): the scheduler is never
# ejected, every task of the load makes progress in every 10 s, and lottery
# ends cleanly on SIGTERM (exit 0, the kernel's scheduler back). The load
# starts once the scheduler runs (it would slow the loader tenfold).
. /vmtest/lib.sh
. /vmtest/scx.sh
need_lottery_scx
seconds=${VMTEST_WHOLE_SECONDS:-60}
start_lottery /tmp/whole.out --whole-machine --json 5000
load=
for _ in 1 2 3; do
	spawn_at_nice 0 $((seconds + 30))
	load="$load $spawned_pid"
done
# Forks: a shell starting short-lived processes, as fast as it can.
sh -c 'while :; do /bin/true; done' &
forker=$!
spawned="$spawned $forker"
# Pipes: a byte stream, and a ping-pong through two FIFOs.
yes | cat >/dev/null &
streamer=$!
# pidof fails while yes is not yet exec'd: under set -e that ended the case.
spawned="$spawned $streamer $(pidof yes || true)"
mkfifo /tmp/ping /tmp/pong
sh -c 'exec 3<>/tmp/ping 4<>/tmp/pong; while read -r x <&3; do echo "$x" >&4; done' &
ponger=$!
spawned="$spawned $ponger"
sh -c 'exec 3<>/tmp/ping 4<>/tmp/pong; while :; do echo x >&3; read -r x <&4; done' &
pinger=$!
spawned="$spawned $pinger"
watched="$load $forker $streamer $ponger $pinger"

for pid in $watched; do cpu_ns $pid; done >/tmp/whole.before
elapsed=0
while [ $elapsed -lt $seconds ]; do
	sleep 10
	elapsed=$((elapsed + 10))
	kill -0 $lottery_pid 2>/dev/null || { cat /tmp/whole.out.err; fail "lottery ended after $elapsed s"; }
	[ "$(scx_state)" = enabled ] || fail "sched_ext is $(scx_state) after $elapsed s"
	for pid in $watched; do cpu_ns $pid; done >/tmp/whole.now
	paste /tmp/whole.before /tmp/whole.now | awk '{ printf "%d ", ($2 - $1) / 1000000 }' >/tmp/whole.ms
	echo "${elapsed}s: CPU ms in the last 10 s of $watched: $(cat /tmp/whole.ms)"
	for ms in $(cat /tmp/whole.ms); do
		[ "$ms" -gt 0 ] || fail "a task of the load got no CPU in 10 s (starved)"
	done
	mv /tmp/whole.now /tmp/whole.before
done
stop_lottery
tail -n 1 /tmp/whole.out | cut -c1-200
[ $lottery_status -eq 0 ] || { cat /tmp/whole.out.err; fail "lottery exited $lottery_status"; }
if grep -E 'ejected|stall|error' /tmp/whole.out.err; then
	fail "lottery reported a problem (above)"
fi
dmesg | grep 'sched_ext' | tail -n 3
dmesg | grep -q 'runnable task stall' && fail "the kernel's watchdog saw a stall"
echo "$seconds s, no ejection, no task starved"
