# The measurement itself, on the kernel's own scheduler (EEVDF): two busy
# loops on one CPU at nice 0 and 5 share it 1024:335 by CPU time from
# /proc/PID/schedstat. EEVDF is deterministic: a task's lag (service owed
# against its weighted share) stays within one request, the base slice
# (debugfs sched/base_slice_ns), plus the tick it may overrun it by (the
# kernel's CONFIG_HZ=250: 4 ms). The lag at the window's start and at its end
# may differ by twice that, so the share over the window is within
# 2 * (base slice + tick) / window.
# This is the figure EEVDF gives beside lottery's.
. /vmtest/lib.sh
. /vmtest/scx.sh
need cpu_task
window=${VMTEST_EEVDF_WINDOW:-3}
slice_ns=$(cat /sys/kernel/debug/sched/base_slice_ns) || fail "no sched/base_slice_ns in debugfs"
echo "base slice $slice_ns ns"
spawn_at_nice 0 30 1
a=$spawned_pid
spawn_at_nice 5 30 1
b=$spawned_pid
sleep 0.5
set -- $(cpu_over_window $a $b)
check_share "EEVDF nice 0:5" "$(echo | awk '{print 1024 / (1024 + 335)}')" $1 $2 \
	"$(echo "$window $slice_ns" | awk '{print 2 * ($2 / 1e9 + 0.004) / $1}')"
