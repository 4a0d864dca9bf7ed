# insmod, read, rmmod with no reader: works, and the device goes away.
. /vmtest/lib.sh
load_module
head -c 100000 /dev/lottery | wc -c
rmmod lottery || fail "rmmod with no reader failed"
module_loaded && fail "lottery is still in /proc/modules after rmmod"
[ ! -e /dev/lottery ] || fail "/dev/lottery is still there after rmmod"
echo "unloaded"
