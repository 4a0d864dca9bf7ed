// SPDX-License-Identifier: (GPL-2.0-only OR MIT)
/*
 * sched_trace: keeps a record of every thread it has seen woken, in a slot
 * of the `runnable` array, marked runnable or asleep.
 *
 * The hot path is sched_switch, which runs on every context switch, and
 * sched_wakeup. Neither does a map operation: the task's slot number is in
 * an array indexed by pid and the slot is written in place. Slots are handed
 * out when a task is first seen and given back when it exits, so the array
 * holds the threads alive, and a reader copies the runnable ones from a
 * memory mapping at memory speed (common/sched_trace.h). Tasks already runnable when the tracer loads are
 * seeded once by the iter/task program, which the loader runs right after
 * attaching.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "sched_trace.h"
#include "task_fields.bpf.h"

#define PF_EXITING 0x00000004

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, SCHED_TRACE_DEFAULT_CAPACITY);
	__type(key, __u32);
	__type(value, struct sched_trace_slot);
} runnable SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct sched_trace_usage);
} usage SEC(".maps");

/*
 * Each thread's slot in `runnable`, plus one (0: none yet), indexed by its
 * pid: one array load, where task storage took three dependent ones and an
 * allocation per new task. Sixteen pids to an element (a cache line), since
 * array elements are at least 8 bytes: 4 bytes a pid, for max_entries *
 * SLOTS_PER_INDEX pids (the loader sizes it to pid_max).
 */
#define SLOTS_PER_INDEX 16
struct slot_index {
	__u32 slot_plus_one[SLOTS_PER_INDEX];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SCHED_TRACE_DEFAULT_CAPACITY / SLOTS_PER_INDEX);
	__type(key, __u32);
	__type(value, struct slot_index);
} slot_of SEC(".maps");

/* Slots given back by exited tasks, reused before fresh ones. */
struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, SCHED_TRACE_DEFAULT_CAPACITY);
	__type(value, __u32);
} free_slots SEC(".maps");

/* Tasks the tracer could not hold (all slots taken, or a pid beyond the index). */
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

/* max_entries of `runnable` and `free_slots`, set by the loader. */
const volatile __u32 capacity = SCHED_TRACE_DEFAULT_CAPACITY;
/* Set by the loader where commit_creds cannot be followed (see there). */
const volatile bool uid_at_switch = false;

static __always_inline void count_miss(void)
{
	__u32 zero = 0;
	__u64 *count = bpf_map_lookup_elem(&misses, &zero);

	if (count)
		(*count)++;
}

static __always_inline struct sched_trace_slot *slot_at(__u32 slot_plus_one)
{
	__u32 index = slot_plus_one - 1;

	return bpf_map_lookup_elem(&runnable, &index);
}

static __always_inline __u32 *slot_entry_of_pid(__u32 pid)
{
	__u32 key = pid / SLOTS_PER_INDEX;
	struct slot_index *index = bpf_map_lookup_elem(&slot_of, &key);

	return index ? &index->slot_plus_one[pid % SLOTS_PER_INDEX] : NULL;
}

static __always_inline __u32 *slot_entry(struct task_struct *t)
{
	return slot_entry_of_pid(t->pid);
}

/*
 * The slot of @t if it has one and still holds @t (a slot read after its
 * task exited may have been handed on), else NULL.
 */
static __always_inline struct sched_trace_slot *slot_of_task(struct task_struct *t)
{
	__u32 *slot = slot_entry(t);
	struct sched_trace_slot *s;

	if (!slot || !*slot)
		return NULL;
	s = slot_at(*slot);
	if (!s || s->task.pid != t->pid)
		return NULL;
	return s;
}

/*
 * The slot changes hands (a task takes it, or takes a new pid, or a new task
 * the pid of a slot left behind): the whole record is rewritten under the
 * sequence count, so that a reader never mixes two tasks' fields.
 */
static __always_inline void hand_over(struct sched_trace_slot *s, struct task_struct *t)
{
	__sync_fetch_and_add(&s->seq, 1);
	fill_task_record(&s->task, t);
	s->state = SCHED_TRACE_SLOT_RUNNABLE;
	__sync_fetch_and_add(&s->seq, 1);
}

/* A slot for a task seen for the first time: a freed one, else a fresh one. */
static __always_inline struct sched_trace_slot *take_slot(struct task_struct *t)
{
	__u32 *slot = slot_entry(t);
	struct sched_trace_usage *used;
	struct sched_trace_slot *s;
	__u32 zero = 0, index;

	if (!slot)
		goto miss;
	if (*slot) {
		s = slot_at(*slot);
		return s && s->task.pid == t->pid ? s : NULL;
	}
	if (bpf_map_pop_elem(&free_slots, &index)) {
		used = bpf_map_lookup_elem(&usage, &zero);
		if (!used)
			goto miss;
		index = __sync_fetch_and_add(&used->slots_used, 1);
		if (index >= capacity)
			goto miss;
	}
	/* Two CPUs may see the task at once (a wakeup racing its switch). */
	if (__sync_val_compare_and_swap(slot, 0, index + 1)) {
		bpf_map_push_elem(&free_slots, &index, 0);
		return NULL;
	}
	s = slot_at(index + 1);
	if (!s)
		goto miss;
	hand_over(s, t);
	return s;
miss:
	count_miss();
	return NULL;
}

static __always_inline void mark_runnable(struct task_struct *t)
{
	struct sched_trace_slot *s = slot_of_task(t);

	if (!s) {
		s = take_slot(t);
		if (!s)
			return;
	} else {
		refresh_task_record(&s->task, t);
	}
	s->state = SCHED_TRACE_SLOT_RUNNABLE;
}

static __always_inline void woken(struct task_struct *p)
{
	/* An exiting task is about to give its slot back: do not take one. */
	if (p->flags & PF_EXITING)
		return;
	mark_runnable(p);
}

SEC("tp_btf/sched_wakeup")
int BPF_PROG(sched_wakeup, struct task_struct *p)
{
	woken(p);
	return 0;
}

/*
 * A new task's pid may still name a slot: that of an earlier task with this
 * pid whose exit raced a wakeup (woken() above narrows that, cannot close
 * it). The record then changes hands here, as at exec.
 */
SEC("tp_btf/sched_wakeup_new")
int BPF_PROG(sched_wakeup_new, struct task_struct *p)
{
	struct sched_trace_slot *s = slot_of_task(p);

	if (s)
		hand_over(s, p);
	else
		woken(p);
	return 0;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(sched_switch, bool preempt, struct task_struct *prev)
{
	struct sched_trace_slot *s;
	bool sleeps;

	if (!prev->pid)	/* the idle task is never a candidate */
		return 0;
	/*
	 * prev's own state, not the tracepoint's prev_state: with a signal
	 * pending __schedule() sets it back to TASK_RUNNING and keeps prev
	 * queued, while prev_state still says it meant to sleep.
	 */
	sleeps = !preempt && task_state(prev) != TASK_RUNNING;
	s = slot_of_task(prev);
	if (!s) {	/* runnable since before the tracer loaded */
		if (!sleeps && !(prev->flags & PF_EXITING))
			mark_runnable(prev);
		return 0;
	}
	if (uid_at_switch)
		s->task.uid = prev->real_cred->uid.val;
	if (sleeps) {
		s->state = SCHED_TRACE_SLOT_ASLEEP;
		return 0;
	}
	refresh_task_record(&s->task, prev);
	s->state = SCHED_TRACE_SLOT_RUNNABLE;
	return 0;
}

/*
 * A thread's name and uid change rarely, and reading them at each wakeup
 * cost two cold cache lines of a task that has been asleep: they are
 * followed by the events that change them instead.
 */
SEC("tp_btf/task_rename")
int BPF_PROG(task_rename, struct task_struct *task, const char *comm)
{
	struct sched_trace_slot *s = slot_of_task(task);

	if (!s)
		return 0;
	/*
	 * Fired before the copy into task->comm: the new name is @comm. The
	 * rest is refreshed with it, so that the record never shows the new
	 * name with older values: exec renames the task well before its
	 * sched_process_exec, and a nice set between fork and exec would
	 * otherwise show as the parent's under the new program's name.
	 */
	bpf_probe_read_kernel_str(s->task.comm, sizeof(s->task.comm), comm);
	refresh_task_record(&s->task, task);
	return 0;
}

/*
 * setuid() and its kin, and exec of a set-user-ID program (commit_creds()
 * always commits). Kernels without fentry (no ftrace) cannot attach it: the
 * loader then leaves it out and sets uid_at_switch, and the uid is read at
 * each context switch instead (about 70 ns more per switch, measured).
 */
SEC("fentry/commit_creds")
int BPF_PROG(commit_creds, struct cred *new)
{
	struct sched_trace_slot *s = slot_of_task(bpf_get_current_task_btf());

	if (s)
		s->task.uid = new->uid.val;
	return 0;
}

/* The new program image has a new comm (maybe a new uid, and a new pid). */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(sched_process_exec, struct task_struct *p, pid_t old_pid)
{
	__u32 old = old_pid, *old_slot = slot_entry_of_pid(old);
	__u32 *slot = slot_entry(p);
	struct sched_trace_slot *s;

	/*
	 * A thread other than the leader that execs takes the leader's pid
	 * (de_thread()): its slot moves to the new pid's entry, and its
	 * record is rewritten whole.
	 */
	if (old != p->pid && old_slot && slot && *old_slot) {
		*slot = *old_slot;
		*old_slot = 0;
	}
	if (!slot || !*slot) {
		mark_runnable(p);
		return 0;
	}
	s = slot_at(*slot);
	if (s)
		hand_over(s, p);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(sched_process_exit, struct task_struct *p)
{
	__u32 *slot = slot_entry(p);
	struct sched_trace_slot *s;
	__u32 index;

	if (!slot || !*slot)
		return 0;
	index = *slot - 1;
	*slot = 0;
	s = slot_at(index + 1);
	if (s) {
		__sync_fetch_and_add(&s->seq, 1);
		s->state = SCHED_TRACE_SLOT_FREE;
		s->task.pid = 0;
		__sync_fetch_and_add(&s->seq, 1);
	}
	bpf_map_push_elem(&free_slots, &index, 0);
	return 0;
}

/* Run once by the loader: every task that is runnable right now. */
SEC("iter/task")
int seed_runnable(struct bpf_iter__task *ctx)
{
	struct task_struct *t = ctx->task;

	if (!t || !t->pid)
		return 0;
	if (task_state(t) == TASK_RUNNING && t->on_rq && !(t->flags & PF_EXITING))
		mark_runnable(t);
	return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
