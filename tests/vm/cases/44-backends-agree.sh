# The bpf, iter and chardev backends see the same busy tasks with the same nice values.
. /vmtest/lib.sh
need lottery cpu_task
load_module
[ -e /sys/fs/bpf/sched_trace/runnable ] || fail "the tracer is not loaded (see bpf-tracer)"
iter_pins=/sys/fs/bpf/lottery_iter
lottery-tracer load --mode iter --pin-dir $iter_pins || fail "lottery-tracer load --mode iter failed on $(uname -r)"
pids=
for nice in -3 4 13; do
	spawn_at_nice $nice
	pids="$pids $spawned_pid:$nice"
done
sleep 0.5
for backend in bpf iter chardev; do
	lottery --backend $backend --pin-dir $([ $backend = iter ] && echo $iter_pins || echo /sys/fs/bpf/sched_trace) \
		--rounds 1 --json --debug >/tmp/$backend.json || fail "lottery --backend $backend failed"
done
lottery-tracer unload --pin-dir $iter_pins
for entry in $pids; do
	pid=${entry%:*} nice=${entry#*:}
	for backend in bpf iter chardev; do
		task=$(json_task $pid /tmp/$backend.json)
		echo "$backend: $task"
		echo "$task" | grep -q "\"nice\":$nice," || fail "$backend: pid $pid should be a candidate at nice $nice"
	done
done
