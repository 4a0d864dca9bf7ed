# Stride scheduling (--policy stride): two busy loops pinned to one CPU at
# 2:1, and two at 3:1 on the other, get CPU time within 1% of their tickets'
# ratio. Stride is deterministic: each task stays within one quantum of its
# ideal share, so over a window A's time is off its share by at most two
# quanta (one at each edge) out of the pair's total T: the ratio A/B is off
# by at most 2 q / (T p (1 - p)) relatively. Under TCG a quantum q runs
# longer than the slice asked for (ticks arrive late), so q is measured: the
# pair's CPU time over its wins (lottery's summary). The check is 1%, or that
# quantisation bound where the window is too short for 1% to be decidable;
# both are printed. The loops run at nice
# 19 (their tickets are given), so that they do not slow the loader.
. /vmtest/lib.sh
. /vmtest/scx.sh
need_lottery_scx
window=${VMTEST_STRIDE_WINDOW:-10}
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
	set -- $pids
	shift $((i - 1))
	runs=$(draws_in_window /tmp/stride.out $((na + nb)) $1 $2)
	awk -v r=$r -v a=$na -v b=$nb -v runs=$runs 'BEGIN {
		d = (a / b - r) / r; p = r / (r + 1); q = (a + b) / runs
		bound = 2 * q / ((a + b) * p * (1 - p)); if (bound < 0.01) bound = 0.01
		printf "stride %d:1: %.4f:1, %+.2f%% off the tickets (quantum %.1f ms, bound %.2f%%)\n",
			r, a / b, 100 * d, q / 1e6, 100 * bound
		exit !(d <= bound && d >= -bound)
	}' || fail "stride $r:1 is further off its tickets than the bound"
	i=$((i + 2))
done
