# After everything above, the kernel log has no WARNING, BUG, oops, lockdep or hung task report.
. /vmtest/lib.sh
dmesg | grep -i lottery | tail -n 5
# Expected for an unsigned out-of-tree module; everything else counts.
if dmesg | grep -v -e 'loading out-of-tree module taints kernel' \
	-e 'module verification failed' |
	grep -E 'WARNING|BUG|Oops|general protection|lockdep|possible recursive locking|circular locking|hung_task|blocked for more than|Call Trace|RIP:|refcount_t|kernel BUG|UBSAN|KASAN|rcu_sched self-detected|stall'; then
	fail "the kernel log has a report (above)"
fi
echo "dmesg is clean ($(dmesg | wc -l) lines)"
