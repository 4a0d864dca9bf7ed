# SPDX-License-Identifier: MIT
# Sourced by the sched_ext cases after the VM's own helpers:
#   . /vmtest/lib.sh; . /vmtest/scx.sh
# CPU time comes from /proc/PID/schedstat (ns on the CPU), policies from
# /proc/PID/sched, the scheduler's state from /sys/kernel/sched_ext.

SCX_SYS=/sys/kernel/sched_ext
# The policy numbers /proc/PID/sched prints (include/uapi/linux/sched.h).
SCHED_NORMAL=0 SCHED_BATCH=3 SCHED_IDLE=5 SCHED_EXT=7

need_scx() {
	[ -r $SCX_SYS/state ] || fail "this kernel ($(uname -r)) has no $SCX_SYS"
}

# lottery and cpu_task, with lottery built with the kernel mechanism (SKIP,
# not FAIL, for a build from before it).
need_lottery_scx() {
	need_scx
	need lottery cpu_task "$@"
	lottery --help 2>&1 | grep -q -- '--mechanism' ||
		skip "this lottery has no kernel mechanism (--mechanism kernel)"
}

scx_state() {
	cat $SCX_SYS/state
}

# Waits up to $2 seconds (default 5) for the state to read $1; prints how
# long it took in ms. Fails the case when it never does.
wait_scx_state() {
	local start now
	start=$(cut -d' ' -f1 /proc/uptime)
	while [ "$(scx_state)" != "$1" ]; do
		now=$(cut -d' ' -f1 /proc/uptime)
		if [ "$(echo "$now $start ${2:-5}" | awk '{print ($1 - $2 > $3)}')" = 1 ]; then
			fail "sched_ext state is $(scx_state), not $1, after ${2:-5} s"
		fi
		sleep 0.02
	done
	now=$(cut -d' ' -f1 /proc/uptime)
	echo "$now $start" | awk '{printf "%d\n", ($1 - $2) * 1000}'
}

cpu_ns() {
	cut -d' ' -f1 /proc/"$1"/schedstat
}

policy_of() {
	awk '$1 == "policy" {print $3}' /proc/"$1"/sched
}

# The CPU time (ns) of each pid in "$@" over the next $window seconds, one
# per line. One cat reads them all, so the readings are microseconds apart
# (a fork per pid would put milliseconds of TCG between them).
cpu_over_window() {
	local pid files=
	for pid; do files="$files /proc/$pid/schedstat"; done
	cat $files | cut -d' ' -f1 >/tmp/cpu.before
	sleep "$window"
	cat $files | cut -d' ' -f1 | paste /tmp/cpu.before - | awk '{print $2 - $1}'
}

# check_share WHAT EXPECTED_SHARE NS_A NS_B BOUND: the share of A in A+B is
# within BOUND of EXPECTED_SHARE; prints both either way.
check_share() {
	awk -v what="$1" -v p="$2" -v a="$3" -v b="$4" -v bound="$5" 'BEGIN {
		if (a + b <= 0 || b <= 0) { printf "%s: no CPU time measured (%d, %d ns)\n", what, a, b; exit 1 }
		share = a / (a + b); d = share - p; if (d < 0) d = -d
		printf "%s: share %.4f (%.3f:1), expected %.4f (%.3f:1), |diff| %.4f, bound %.4f\n",
			what, share, a / b, p, p / (1 - p), d, bound
		exit !(d <= bound)
	}' || fail "$1: share outside the bound"
}

# --- lottery as the kernel's scheduler ----------------------------------------
# The slice each draw gives (ms): one tick of the kernel under test (HZ=250),
# so that a second of test holds as many draws as it can.
SCX_SLICE_MS=${VMTEST_SCX_SLICE_MS:-4}

# start_lottery OUT ARGS...: runs `lottery ARGS` with its stdout in OUT and
# stderr in OUT.err, waits until the kernel runs it (sched_ext enabled and its
# first line printed: loading takes 20-25 s under TCG, most of it the
# verifier) and says how long that took; its pid is in $lottery_pid. It is
# killed when the case exits.
start_lottery() {
	local out=$1 start now
	shift
	start=$(cut -d' ' -f1 /proc/uptime)
	lottery "$@" >"$out" 2>"$out.err" &
	lottery_pid=$!
	spawned="$spawned $lottery_pid"
	while ! { [ "$(scx_state)" = enabled ] && [ -s "$out.err" -o -s "$out" ]; }; do
		kill -0 $lottery_pid 2>/dev/null || { cat "$out.err"; fail "lottery ended at start"; }
		now=$(cut -d' ' -f1 /proc/uptime)
		if [ "$(echo "$now $start" | awk '{print ($1 - $2 > 120)}')" = 1 ]; then
			cat "$out.err"
			fail "lottery did not enable sched_ext within 120 s"
		fi
		sleep 0.1
	done
	echo "lottery loaded in $(echo "$(cut -d' ' -f1 /proc/uptime) $start" | awk '{print $1 - $2}') s"
}

# stop_lottery: SIGTERM, then its exit status in $lottery_status; sched_ext
# must be disabled again within a second.
stop_lottery() {
	kill -TERM $lottery_pid
	lottery_status=0
	wait $lottery_pid || lottery_status=$?
	wait_scx_state disabled 1 >/dev/null
}

# A task's field in lottery's --json summary line: summary_field PID KEY OUT.
summary_field() {
	grep '^{"summary"' "$3" | grep -o "{\"pid\":$1,[^}]*}" | head -n 1 |
		grep -o "\"$2\":[0-9.e+-]*" | cut -d: -f2
}

# lottery_bound P N: how far a lottery's share may stray from P after N
# independent draws (see 10-lottery.sh for why): 4 standard deviations of
# the binomial share plus one draw's worth of quantisation. (Busybox awk has
# no sqrt: Newton's method.)
lottery_bound() {
	awk -v p="$1" -v n="$2" 'BEGIN {
		v = p * (1 - p) / n; sd = v
		for (i = 0; i < 100 && sd > 0; i++) sd = (sd + v / sd) / 2
		printf "%.6f\n", 4 * sd + 1 / n
	}'
}

# wins_since OUT LINE PID...: the wins of these pids in the statistics lines
# of OUT after its line LINE, the first of them left out.
wins_since() {
	local out=$1 from=$2 pid sum=0 w
	shift 2
	for pid; do
		w=$(tail -n +$((from + 1)) "$out" | grep '^{"seconds"' | tail -n +2 |
			grep -o "{\"pid\":$pid,[^}]*}" | grep -o '"wins":[0-9]*' | cut -d: -f2 |
			awk '{ s += $1 } END { print s + 0 }')
		sum=$((sum + w))
	done
	echo $sum
}

# draws_in_window OUT CPU_NS PID...: how many draws these tasks took part in
# during a window in which they ran CPU_NS together: that time over the mean
# time one of their wins ran, from lottery's --json summary in OUT.
draws_in_window() {
	local out=$1 cpu=$2 wins=0 ran=0 pid
	shift 2
	for pid; do
		wins=$((wins + $(summary_field $pid wins $out)))
		ran=$((ran + $(summary_field $pid cpu_ns $out)))
	done
	[ $wins -gt 0 ] && [ $ran -gt 0 ] || fail "no wins or CPU time for $* in lottery's summary"
	awk -v w=$wins -v ran=$ran -v cpu=$cpu 'BEGIN { printf "%d\n", cpu / (ran / w) }'
}
