# The round benchmark with both backends in one VM, on the same live tasks:
# bpf reads the tracer's map, chardev reads /dev/lottery. Busy loops at nice
# 0..9 make the runnable sets larger; sleeping processes, last, make the
# chardev walk longer (it visits every thread). Passes alternate the backends.
. /vmtest/lib.sh
need round_bench lottery-tracer cpu_task
load_module
[ -e /sys/fs/bpf/sched_trace/runnable ] || lottery-tracer load --mode trace >/dev/null ||
	fail "lottery-tracer load failed on $(uname -r)"
rounds=${BENCH_ROUNDS:-200}
sleepers=${BENCH_SLEEPERS:-0}

time_both() {
	for pass in 1 2; do
		for backend in bpf chardev; do
			line=$(round_bench --backend $backend --rounds "$rounds") ||
				fail "round_bench --backend $backend failed"
			echo "busy=$busy sleepers=$1 pass=$pass $line"
		done
	done
}

running=0
for busy in $(echo "${BENCH_BUSY:-0,8}" | tr , ' '); do
	while [ $running -lt "$busy" ]; do
		spawn_at_nice $((running % 10)) 600
		running=$((running + 1))
	done
	sleep 1
	time_both 0
done
if [ "$sleepers" -gt 0 ]; then
	i=0
	while [ $i -lt "$sleepers" ]; do
		sleep 600 &
		spawned="$spawned $!"
		i=$((i + 1))
	done
	time_both "$sleepers"
fi
lottery-tracer unload >/dev/null
