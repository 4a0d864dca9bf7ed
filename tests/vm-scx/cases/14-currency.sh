# Currencies in the kernel (--group): a group's funding is divided among its
# runnable members only (Waldspurger and Weihl 1994, 5.3: only active
# tickets are funded). Group A holds a busy loop and a loop that this shell
# stops and continues every 50 ms (so it is runnable about half the time);
# group B one busy loop; same share each, all three on one CPU. Whenever A's
# busy loop is runnable (always), A's tickets are worth its whole funding,
# so A's two loops together get half of the CPU, however often the other
# sleeps. Funding every member (a sleeping one too) gives A a third while
# one sleeps; funding each period's runnable members, and leaving the others
# as they were, gave A 62% before.
#
# What is checked is A's share of the draws' wins in the window (from
# lottery's per-second --json statistics): every draw on the CPU is won by A
# with p = 1/2, so the bound is lottery_bound's (see 10-lottery.sh) over
# those draws. A's share of the CPU time is printed, not checked: without
# compensation (--no-compensation) the stopped loop loses the rest of its
# last slice to a new draw, so A's CPU share sits a few points below its
# share of the wins (44-48% in the VM), which is what compensation tickets
# are for.
. /vmtest/lib.sh
. /vmtest/scx.sh
need_lottery_scx
window=${VMTEST_CURRENCY_WINDOW:-8}
spawn_at_nice 19 300 1
a_busy=$spawned_pid
spawn_at_nice 19 300 1
a_part=$spawned_pid
spawn_at_nice 19 300 1
b_busy=$spawned_pid
start_lottery /tmp/currency.out --enforce --mechanism kernel --slice $SCX_SLICE_MS --json \
	--no-compensation --group A=$a_busy,$a_part --group B=$b_busy 1000
sh -c "while :; do kill -STOP $a_part; sleep 0.05; kill -CONT $a_part; sleep 0.05; done" &
toggler=$!
spawned="$spawned $toggler"
sleep 0.5
from=$(wc -l </tmp/currency.out)
set -- $(cpu_over_window $a_busy $a_part $b_busy)
a_wins=$(wins_since /tmp/currency.out $from $a_busy $a_part)
b_wins=$(wins_since /tmp/currency.out $from $b_busy)
kill $toggler
wait $toggler 2>/dev/null || true
kill -CONT $a_part
stop_lottery
[ $lottery_status -eq 0 ] || { cat /tmp/currency.out.err; fail "lottery exited $lottery_status"; }
echo "CPU ns in $window s: A busy $1, A part-time $2, B $3"
echo "lottery's last statistics: $(grep '^{"seconds"' /tmp/currency.out | tail -n 1)"
[ "$2" -gt 0 ] || fail "A's part-time loop never ran"
echo "CPU share of A: $(awk -v a=$(($1 + $2)) -v b=$3 'BEGIN { printf "%.4f\n", a / (a + b) }')"
echo "wins: A $a_wins, B $b_wins"
[ $((a_wins + b_wins)) -gt 0 ] || fail "no wins in lottery's statistics"
check_share "group A (2 loops, one part-time) against B (wins)" 0.5 $a_wins $b_wins \
	"$(lottery_bound 0.5 $((a_wins + b_wins)))"
