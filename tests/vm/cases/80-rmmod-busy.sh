# While a reader holds /dev/lottery open, rmmod is refused and the reader keeps
# working; once it closes, its memory is returned and rmmod works.
. /vmtest/lib.sh
need chardev_probe
load_module
chardev_probe unload-while-open
module_loaded || fail "the module went away while a reader held it open"

# slub_debug=U records the stack of every live slab object (debugfs
# alloc_traces): the module's per-open state and snapshot must be there while
# a file is open, and gone once it is closed.
traces=/sys/kernel/debug/slab/*/alloc_traces
exec 3</dev/lottery
head -c 1 <&3 >/dev/null
grep -qs 'lottery_open' $traces || fail "slub_debug does not see lottery_open's allocation"
grep -qs -E 'lottery_(read|take_snapshot)' $traces || fail "slub_debug does not see the snapshot's allocation"
exec 3<&-
sleep 0.1
if grep -s -B1 'lottery' $traces /proc/vmallocinfo; then fail "allocations of the module outlive their file (above)"; fi
echo "after close: no slab or vmalloc allocation from the module is left"
rmmod lottery || fail "rmmod failed after the reader closed"
[ ! -e /dev/lottery ] || fail "/dev/lottery is still there after rmmod"
