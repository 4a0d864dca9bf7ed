# SPDX-License-Identifier: MIT
# Sourced by every VM test case: `. /vmtest/lib.sh`. A case fails by exiting
# non-zero; its last line of output is the reason shown in VMTEST FAIL.
set -eu

VMTEST_MODULE=${VMTEST_MODULE:-/vmtest/lottery.ko}
spawned=

fail() {
	echo "$*"
	exit 1
}

# The case cannot run here (reported as SKIP, never counted as a pass).
skip() {
	echo "$*"
	exit 77
}

need() {
	for program; do
		command -v "$program" >/dev/null || fail "$program is not in the VM (not built?)"
	done
}

module_loaded() {
	grep -q '^lottery ' /proc/modules
}

# Loads the module if it is not loaded yet and waits for devtmpfs's node.
load_module() {
	module_loaded || insmod "$VMTEST_MODULE" "$@" || fail "insmod $VMTEST_MODULE failed"
	for _ in $(seq 50); do
		[ -c /dev/lottery ] && return 0
		sleep 0.1
	done
	fail "/dev/lottery did not appear after insmod"
}

# Starts a cpu_task busy loop at nice $1 for at most $2 seconds (default 60),
# on CPU $3 if given; its pid is in $spawned_pid. It is killed when the case
# exits.
spawn_at_nice() {
	${3:+taskset -c "$3"} cpu_task "${2:-60}" &
	spawned_pid=$!
	spawned="$spawned $spawned_pid"
	# Renice after the exec, so that no snapshot sees the shell's fork at that nice.
	for _ in $(seq 50); do
		[ "$(cat /proc/$spawned_pid/comm 2>/dev/null)" = cpu_task ] && break
		sleep 0.1
	done
	renice "$1" -p $spawned_pid >/dev/null || fail "renice $1 of pid $spawned_pid failed"
}

stop_spawned() {
	[ -z "$spawned" ] || kill $spawned 2>/dev/null || true
	# A stopped task only acts on SIGTERM once continued.
	[ -z "$spawned" ] || kill -CONT $spawned 2>/dev/null || true
	[ -z "$spawned" ] || wait $spawned 2>/dev/null || true
	spawned=
}
trap stop_spawned EXIT

# The JSON object of pid $1 in file $2 (lottery --json --debug's candidate_list).
json_task() {
	grep -o "{\"pid\":$1,[^}]*}" "$2" | head -n 1
}

# Tickets of a task at nice $1 by default: the kernel's sched_prio_to_weight.
weight_of_nice() {
	set -- $(( $1 + 20 ))
	echo 88761 71755 56483 46273 36291 29154 23254 18705 14949 11916 \
		9548 7620 6100 4904 3906 3121 2501 1991 1586 1277 \
		1024 820 655 526 423 335 272 215 172 137 \
		110 87 70 56 45 36 29 23 18 15 | cut -d' ' -f$(( $1 + 1 ))
}
