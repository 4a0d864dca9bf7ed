# lottery-tracer unload removes its pins.
. /vmtest/lib.sh
need lottery-tracer
lottery-tracer unload || fail "lottery-tracer unload failed"
[ ! -e /sys/fs/bpf/sched_trace ] || fail "/sys/fs/bpf/sched_trace is still there: $(ls /sys/fs/bpf/sched_trace)"
