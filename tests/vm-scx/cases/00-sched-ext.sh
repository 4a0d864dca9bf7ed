# The kernel under test has sched_ext and runs on its own scheduler until one is loaded.
. /vmtest/lib.sh
. /vmtest/scx.sh
need_scx
echo "kernel $(uname -r), $(nproc) cpus, sched_ext state $(scx_state)"
[ "$(scx_state)" = disabled ] || fail "sched_ext is $(scx_state) before lottery ran"
[ -r /sys/kernel/btf/vmlinux ] || fail "no BTF: /sys/kernel/btf/vmlinux is missing"
[ "$(policy_of 1)" = $SCHED_NORMAL ] || fail "init's policy is $(policy_of 1), not SCHED_NORMAL"
