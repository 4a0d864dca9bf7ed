# lottery --backend chardev draws among busy tasks at known nice values, with tickets from nice.
. /vmtest/lib.sh
need lottery cpu_task
load_module
pids=
for nice in 0 5 10; do
	spawn_at_nice $nice
	pids="$pids $spawned_pid:$nice"
done
sleep 0.2
lottery --backend chardev --rounds 3 --json --debug 100 >/tmp/cli.json || fail "lottery --backend chardev failed"
for entry in $pids; do
	pid=${entry%:*} nice=${entry#*:}
	task=$(json_task $pid /tmp/cli.json)
	[ -n "$task" ] || fail "pid $pid (nice $nice) is not a candidate: $(head -c 300 /tmp/cli.json)"
	echo "$task"
	echo "$task" | grep -q "\"nice\":$nice," || fail "pid $pid: expected nice $nice in $task"
	echo "$task" | grep -q "\"tickets\":$(weight_of_nice $nice)[,}]" ||
		fail "pid $pid: expected $(weight_of_nice $nice) tickets at nice $nice in $task"
done
echo "--- lottery --backend chardev --rounds 5 (for the README)"
lottery --backend chardev --rounds 5 100 || fail "lottery --backend chardev --rounds 5 failed"
