// SPDX-License-Identifier: (GPL-2.0-only OR MIT)
/*
 * sched_trace: keeps the machine's runnable tasks in the `runnable` hash map.
 *
 * A task enters when it is woken (or forked), leaves when it blocks or exits,
 * and its record is refreshed in place whenever it is preempted. The hot path
 * is sched_switch, which runs on every context switch: it does at most one
 * hash-map operation and never touches `next` (it entered at its wakeup).
 * Tasks already runnable when the tracer loads are seeded once by the
 * iter/task program, which the loader runs right after attaching.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "sched_trace.h"
#include "task_fields.bpf.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SCHED_TRACE_DEFAULT_CAPACITY);
	__type(key, __u32);
	__type(value, struct lottery_task);
} runnable SEC(".maps");

/* Inserts into `runnable` that failed (full map): a lost task is counted, never silent. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} misses SEC(".maps");

/* Written (then frozen) by the loader, so readers can check the layout first. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_RDONLY_PROG);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct sched_trace_info);
} info SEC(".maps");

static __always_inline void count_miss(void)
{
	__u32 zero = 0;
	__u64 *count = bpf_map_lookup_elem(&misses, &zero);

	if (count)
		(*count)++;
}

/* Insert or replace the whole record of @t: one map operation. */
static __always_inline void store_task(struct task_struct *t)
{
	struct lottery_task record;

	fill_task_record(&record, t);
	if (bpf_map_update_elem(&runnable, &record.pid, &record, BPF_ANY))
		count_miss();
}

SEC("tp_btf/sched_wakeup")
int BPF_PROG(sched_wakeup, struct task_struct *p)
{
	store_task(p);
	return 0;
}

SEC("tp_btf/sched_wakeup_new")
int BPF_PROG(sched_wakeup_new, struct task_struct *p)
{
	store_task(p);
	return 0;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(sched_switch, bool preempt, struct task_struct *prev)
{
	__u32 pid = prev->pid;
	struct lottery_task *record;

	if (!pid)	/* the idle task is never a candidate */
		return 0;
	/*
	 * prev's own state, not the tracepoint's prev_state: with a signal
	 * pending __schedule() sets it back to TASK_RUNNING and keeps prev
	 * queued, while prev_state still says it meant to sleep.
	 */
	if (!preempt && task_state(prev) != TASK_RUNNING) {
		bpf_map_delete_elem(&runnable, &pid);
		return 0;
	}
	record = bpf_map_lookup_elem(&runnable, &pid);
	if (record)
		refresh_task_record(record, prev);
	else	/* runnable since before the tracer loaded */
		store_task(prev);
	return 0;
}

/* The new program image has a new comm (and maybe a new uid). */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(sched_process_exec, struct task_struct *p, pid_t old_pid)
{
	__u32 old = old_pid;

	/*
	 * A thread other than the leader that execs takes the leader's pid
	 * (de_thread()); nothing would remove the record under its old one.
	 */
	if (old != p->pid)
		bpf_map_delete_elem(&runnable, &old);
	store_task(p);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(sched_process_exit, struct task_struct *p)
{
	__u32 pid = p->pid;

	bpf_map_delete_elem(&runnable, &pid);
	return 0;
}

/* Run once by the loader: every task that is runnable right now. */
SEC("iter/task")
int seed_runnable(struct bpf_iter__task *ctx)
{
	struct task_struct *t = ctx->task;

	if (!t || !t->pid)
		return 0;
	if (task_state(t) == TASK_RUNNING && t->on_rq)
		store_task(t);
	return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
