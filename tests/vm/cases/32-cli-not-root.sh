# An ordinary user gets a one-line permission error and a non-zero exit.
. /vmtest/lib.sh
need lottery chardev_probe
load_module
if chardev_probe as-uid 1000 lottery --backend chardev --rounds 1 >/tmp/out 2>&1; then
	fail "lottery as uid 1000 succeeded on a root-only device"
fi
cat /tmp/out
[ "$(wc -l </tmp/out)" -eq 1 ] || fail "expected one line of error, got $(wc -l </tmp/out)"
grep -q '^lottery: /dev/lottery: permission denied' /tmp/out || fail "unexpected error: $(cat /tmp/out)"
