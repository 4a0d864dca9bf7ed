# mode= sets the device's permissions; max_tasks is bounded and read-write.
. /vmtest/lib.sh
load_module
rmmod lottery
load_module mode=0644
mode=$(stat -c %a /dev/lottery)
rmmod lottery
[ "$mode" = 644 ] || fail "insmod mode=0644 gave a device of mode $mode"
if insmod "$VMTEST_MODULE" mode=01777 2>/dev/null; then
	rmmod lottery
	fail "insmod accepted mode=01777, which is more than permission bits"
fi
load_module
param=/sys/module/lottery/parameters/max_tasks
[ "$(cat $param)" = 65536 ] || fail "max_tasks defaults to $(cat $param), not 65536"
for bad in 0 4194305 -1 lots; do
	if echo $bad >$param 2>/dev/null; then fail "max_tasks accepted $bad"; fi
done
echo 1000 >$param && [ "$(cat $param)" = 1000 ] || fail "max_tasks did not take 1000"
echo 65536 >$param
echo "mode=0644 gives 644; mode=01777 refused; max_tasks refuses 0, 4194305, -1, lots"
