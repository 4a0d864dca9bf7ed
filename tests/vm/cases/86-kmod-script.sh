# scripts/kmod.sh (make load-kmod / unload-kmod) loads, waits for the device, and unloads idempotently.
. /vmtest/lib.sh
module_loaded && rmmod lottery
sh /vmtest/kmod.sh load "$VMTEST_MODULE" || fail "kmod.sh load failed"
[ -c /dev/lottery ] || fail "no /dev/lottery after kmod.sh load"
sh /vmtest/kmod.sh load "$VMTEST_MODULE" || fail "kmod.sh load of a loaded module failed"
sh /vmtest/kmod.sh unload || fail "kmod.sh unload failed"
module_loaded && fail "lottery is still loaded after kmod.sh unload"
sh /vmtest/kmod.sh unload || fail "kmod.sh unload of an unloaded module failed"
if sh /vmtest/kmod.sh load /vmtest/missing.ko 2>/tmp/err; then fail "kmod.sh loaded a missing file"; fi
cat /tmp/err
