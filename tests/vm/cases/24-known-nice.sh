# Busy tasks at known nice values are in the snapshot with those values.
. /vmtest/lib.sh
need chardev_probe cpu_task
load_module
expect=
for nice in -5 0 7 19; do
	spawn_at_nice $nice
	expect="$expect $spawned_pid $nice"
done
sleep 0.2
chardev_probe expect $expect >/tmp/expect 2>&1 || { cat /tmp/expect; exit 1; }
cat /tmp/expect
grep -c "comm cpu_task" /tmp/expect | grep -qx 4 || fail "the spawned tasks are not all named cpu_task"
