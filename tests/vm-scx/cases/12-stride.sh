# Stride scheduling (--policy stride): two busy loops pinned to one CPU at
# 2:1, and two at 3:1 on the other, get CPU time within 1% of their tickets'
# ratio. Stride is deterministic: each task stays within one quantum of its
# ideal share, so the error over a window is at most two slices out of the
# window's total; at 4 ms slices over 8 s that is 0.1% of the share, under
# 1% of the ratio for both pairs. The loops run at nice 19 (their tickets are
# given), so that they do not slow the loader.
. /vmtest/lib.sh
. /vmtest/scx.sh
need_lottery_scx
window=${VMTEST_STRIDE_WINDOW:-8}
args= pids=
cpu=1
for r in 2 3; do
	spawn_at_nice 19 300 $((cpu % $(nproc)))
	a=$spawned_pid
	spawn_at_nice 19 300 $((cpu % $(nproc)))
	b=$spawned_pid
	args="$args --pid $a --pid $b --tickets $a=$((r * 100)) --tickets $b=100"
	pids="$pids $a $b"
	cpu=$((cpu + 1))
done
start_lottery /tmp/stride.out --enforce --mechanism kernel --policy stride \
	--slice $SCX_SLICE_MS --json $args 1000
sleep 0.3
cpu_over_window $pids >/tmp/stride.cpu
stop_lottery
[ $lottery_status -eq 0 ] || { cat /tmp/stride.out.err; fail "lottery exited $lottery_status"; }
i=1
for r in 2 3; do
	na=$(sed -n "${i}p" /tmp/stride.cpu) nb=$(sed -n "$((i + 1))p" /tmp/stride.cpu)
	awk -v r=$r -v a=$na -v b=$nb 'BEGIN {
		d = (a / b - r) / r
		printf "stride %d:1: %.4f:1, %+.2f%% off the tickets (bound 1%%)\n", r, a / b, 100 * d
		exit !(d <= 0.01 && d >= -0.01)
	}' || fail "stride $r:1 is more than 1% off its tickets"
	i=$((i + 2))
done
