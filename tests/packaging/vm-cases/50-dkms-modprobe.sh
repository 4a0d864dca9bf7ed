# modprobe loads the DKMS-built module from /lib/modules/$(uname -r)/updates/dkms,
# and the packaged lottery draws on it: `lottery --backend chardev --rounds 5`.
. /vmtest/lib.sh
need lottery cpu_task
module_loaded && fail "lottery is loaded before modprobe"
path=$(modinfo -F filename lottery) || fail "modinfo does not find lottery in modules.dep"
case $path in
*/lib/modules/$(uname -r)/updates/dkms/lottery.ko*) ;;
*) fail "modprobe would load '$path', not the DKMS-built module" ;;
esac
modprobe lottery || fail "modprobe lottery failed"
for _ in $(seq 50); do
	[ -c /dev/lottery ] && break
	sleep 0.1
done
[ -c /dev/lottery ] || fail "/dev/lottery did not appear after modprobe"
version=$(cat /sys/module/lottery/version)
[ "$version" = "$LOTTERY_VERSION" ] || fail "the module is version $version, not $LOTTERY_VERSION"
echo "modprobe lottery: $path, version $version"

spawn_at_nice 0
low=$spawned_pid
spawn_at_nice 5
high=$spawned_pid
sleep 0.2
echo "--- lottery --backend chardev --rounds 5 (cpu_task $low at nice 0, $high at nice 5)"
lottery --backend chardev --rounds 5 >/tmp/rounds.txt 2>&1 || fail "lottery failed: $(tail -n 1 /tmp/rounds.txt)"
cat /tmp/rounds.txt
lottery --backend chardev --rounds 5 --json --debug 100 >/tmp/rounds.json ||
	fail "lottery --json failed"
rounds=$(grep -c '^{"round":[0-9]*,"winner":{' /tmp/rounds.json || true)
[ "$rounds" -eq 5 ] || fail "expected 5 rounds with a winner in the JSON, got $rounds"
for pid in $low $high; do
	[ -n "$(json_task $pid /tmp/rounds.json)" ] || fail "cpu_task $pid is not a candidate"
done
stop_spawned
modprobe -r lottery || fail "modprobe -r lottery failed"
module_loaded && fail "lottery is still loaded after modprobe -r"
echo "modprobe -r lottery: unloaded"
