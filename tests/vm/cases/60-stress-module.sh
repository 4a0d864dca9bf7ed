# Stress (issue 7): 8 readers at once at random buffer sizes and seeks, fork/exit
# churn, and rmmod/insmod in a loop, for 10 s (VMTEST_STRESS=long: 60 s).
# Every snapshot parses (chardev_probe checks each; lottery parses some with
# the real parser); the only errors allowed are opens that lost the race
# with rmmod. Afterwards no allocation of the module is left and the
# unreclaimable slab is back within a bound; 99-dmesg reads the kernel log.
. /vmtest/lib.sh
need chardev_probe lottery
seconds=10
[ "${VMTEST_STRESS:-}" = long ] && seconds=60
# Slab the churn itself may keep cached (task_struct, pids, files) after
# drop_caches; a module that leaks a snapshot per open leaks far more.
slab_bound_kb=2048

unreclaimable_slab_kb() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	awk '/^SUnreclaim:/ {print $2}' /proc/meminfo
}

# What a reader may say when rmmod won the race for the device, and nothing
# else. Readers share one output file and stderr writes a message in pieces,
# so the pieces are struck out wherever they are, and nothing may be left.
only_lost_races() {
	left=$(sed -E -e 's/chardev_probe: //g' \
		-e 's#open /dev/lottery: No such (file or directory|device or address|device)##g' \
		-e 's/reader [0-9]+: [0-9]+ snapshots//g' -e 's/[0-9]+ of 8 readers failed//g' \
		-e "s#lottery: /dev/lottery( not found|: no driver behind it): load the module with .*##" \
		"$1" | tr -d ' \n')
	[ -z "$left" ] || { cat "$1"; return 1; }
}

module_loaded && rmmod lottery
slab_before=$(unreclaimable_slab_kb)
load_module
end=$(( $(date +%s) + seconds ))
log=/tmp/stress-module
mkdir -p $log

# Churn: batches of 100 children that exit at once.
(
	batches=0
	while [ "$(date +%s)" -lt $end ]; do
		chardev_probe children 100 0 sleep >/dev/null || exit 1
		batches=$((batches + 1))
	done
	echo "churn: $((batches * 100)) short-lived tasks"
) >$log/churn 2>&1 &
churn=$!

# rmmod whenever no reader holds the device, then insmod again.
(
	cycles=0 refused=0
	while [ "$(date +%s)" -lt $end ]; do
		if rmmod lottery 2>/dev/null; then
			cycles=$((cycles + 1))
			insmod "$VMTEST_MODULE" || { echo "insmod failed after $cycles cycles"; exit 1; }
		else
			refused=$((refused + 1))
		fi
		sleep 0.1
	done
	echo "rmmod/insmod: $cycles cycles, $refused refused while in use"
) >$log/cycle 2>&1 &
cycle=$!

runs=0 snapshots=0
while [ "$(date +%s)" -lt $end ]; do
	runs=$((runs + 1))
	chardev_probe readers 8 1 >$log/readers 2>&1 || true
	only_lost_races $log/readers || fail "readers failed (above), run $runs"
	snapshots=$((snapshots + $(awk '/snapshots$/ {n += $3} END {print n + 0}' $log/readers)))
	lottery --backend chardev --json --rounds 2 1 >/dev/null 2>$log/lottery || true
	only_lost_races $log/lottery || fail "lottery failed (above), run $runs"
	sleep 0.2 # a window for rmmod
done
wait $churn || fail "churn failed: $(cat $log/churn)"
wait $cycle || fail "rmmod/insmod loop failed: $(cat $log/cycle)"
cat $log/churn $log/cycle
echo "readers: $runs runs of 8, $snapshots snapshots, all parsed"
[ "$snapshots" -gt 0 ] || fail "no snapshot was read"
grep -q -E 'rmmod/insmod: [1-9]' $log/cycle || fail "rmmod never got the device between readers"

# The module is whole after all that, and gives back all its memory.
load_module
chardev_probe forms >/dev/null || fail "snapshots after the stress do not parse"
rmmod lottery || fail "rmmod failed after the stress"
traces=/sys/kernel/debug/slab/*/alloc_traces
if grep -s -B1 'lottery' $traces /proc/vmallocinfo; then fail "allocations of the module outlive it (above)"; fi
slab_after=$(unreclaimable_slab_kb)
echo "unreclaimable slab: $slab_before kB before, $slab_after kB after (bound +$slab_bound_kb kB)"
[ $((slab_after - slab_before)) -le $slab_bound_kb ] || fail "slab grew by $((slab_after - slab_before)) kB"
