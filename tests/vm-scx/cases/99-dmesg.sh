# After every case, the kernel log has no oops, BUG, WARNING or lockup report
# (sched_ext's own lines, the ejection's dump included, are expected).
. /vmtest/lib.sh
dmesg | grep 'sched_ext' | tail -n 5
if dmesg | grep -E 'WARNING:|BUG:|Oops|general protection|kernel BUG|UBSAN|KASAN|possible recursive locking|circular locking|hung_task|blocked for more than|soft lockup|hard LOCKUP|rcu_sched self-detected|rcu_preempt self-detected'; then
	fail "the kernel log has a report (above)"
fi
echo "dmesg is clean ($(dmesg | wc -l) lines)"
