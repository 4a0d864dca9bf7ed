# With more runnable tasks than max_tasks the snapshot is cut there and says how many it lost.
. /vmtest/lib.sh
need chardev_probe cpu_task
load_module
param=/sys/module/lottery/parameters/max_tasks
for nice in 1 2 3 4; do spawn_at_nice $nice; done
echo 2 >$param
chardev_probe forms >/tmp/forms 2>&1 || { echo 65536 >$param; cat /tmp/forms; exit 1; }
echo 65536 >$param
cat /tmp/forms
grep -Eq '^buffer 1: 2 records of ([5-9]|[1-9][0-9]+) runnable, truncated' /tmp/forms ||
	fail "max_tasks=2 with 5 busy tasks did not give a truncated snapshot of 2 records"
