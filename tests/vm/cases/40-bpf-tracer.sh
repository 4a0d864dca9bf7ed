# The CO-RE tracer loads on this kernel and pins its maps.
. /vmtest/lib.sh
need lottery-tracer
lottery-tracer load --mode trace || fail "lottery-tracer load failed on $(uname -r)"
ls /sys/fs/bpf/sched_trace
[ -e /sys/fs/bpf/sched_trace/runnable ] || fail "no pinned runnable map after lottery-tracer load"
