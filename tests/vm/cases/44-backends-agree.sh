# The bpf and chardev backends see the same busy tasks with the same nice values.
. /vmtest/lib.sh
need lottery cpu_task
load_module
[ -e /sys/fs/bpf/sched_trace/runnable ] || fail "the tracer is not loaded (see bpf-tracer)"
pids=
for nice in -3 4 13; do
	spawn_at_nice $nice
	pids="$pids $spawned_pid:$nice"
done
sleep 0.5
for backend in bpf chardev; do
	lottery --backend $backend --rounds 1 --json --debug >/tmp/$backend.json ||
		fail "lottery --backend $backend failed"
done
for entry in $pids; do
	pid=${entry%:*} nice=${entry#*:}
	for backend in bpf chardev; do
		task=$(json_task $pid /tmp/$backend.json)
		echo "$backend: $task"
		echo "$task" | grep -q "\"nice\":$nice," || fail "$backend: pid $pid should be a candidate at nice $nice"
	done
done
