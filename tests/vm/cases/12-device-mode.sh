# /dev/lottery is root-only (0600) by default, and an ordinary user is refused.
. /vmtest/lib.sh
need chardev_probe
load_module
set -- $(stat -c '%a %u %g' /dev/lottery)
echo "/dev/lottery: mode $1, owner $2:$3"
[ "$1" = 600 ] && [ "$2" = 0 ] && [ "$3" = 0 ] || fail "expected mode 600 owned by root, got $1 $2:$3"
if chardev_probe as-uid 1000 cat /dev/lottery >/tmp/denied 2>&1; then
	fail "uid 1000 could read /dev/lottery"
fi
grep -q 'Permission denied' /tmp/denied || fail "uid 1000 was refused, but not with EACCES: $(cat /tmp/denied)"
