# Without the module, lottery --backend chardev says to load it, and how.
. /vmtest/lib.sh
need lottery
module_loaded && rmmod lottery
if lottery --backend chardev --rounds 1 >/tmp/out 2>&1; then fail "lottery succeeded without /dev/lottery"; fi
cat /tmp/out
grep -q "^lottery: /dev/lottery not found: load the module with 'sudo modprobe lottery'" /tmp/out ||
	fail "unexpected error: $(cat /tmp/out)"
