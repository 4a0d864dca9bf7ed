/* SPDX-License-Identifier: (GPL-2.0-only OR MIT) */
/*
 * What `lottery-tracer load` leaves under bpffs, in one of two modes:
 * trace (bpf/sched_trace.bpf.c: records kept up to date by tracepoints, read
 * by the bpf backend of `lottery`) or iter (bpf/sched_iter.bpf.c: a pinned
 * task iterator that takes a snapshot at each read, for the iter backend).
 * Includer provides the __u32 types, as for lottery_task.h.
 */
#ifndef LOTTERY_SCHED_TRACE_H
#define LOTTERY_SCHED_TRACE_H

#include "lottery_task.h"

#define SCHED_TRACE_PIN_DIR "/sys/fs/bpf/sched_trace"

/* Pinned objects, relative to SCHED_TRACE_PIN_DIR. Iter mode: */
#define SCHED_TRACE_SNAPSHOT_ITER "snapshot"	/* iter/task link: a read yields a lottery_snapshot.h snapshot */
/* Trace mode: */
#define SCHED_TRACE_RUNNABLE_MAP "runnable"	/* mmapable array: struct sched_trace_slot */
#define SCHED_TRACE_USAGE_MAP "usage"		/* mmapable array[1]: struct sched_trace_usage */
#define SCHED_TRACE_MISSES_MAP "misses"		/* percpu array[1]: __u64 tasks the tracer could not hold */
#define SCHED_TRACE_INFO_MAP "info"		/* array[1]: struct sched_trace_info */

/* Default capacity of the runnable map (threads it can hold): the default pid_max. */
#define SCHED_TRACE_DEFAULT_CAPACITY 32768

#define SCHED_TRACE_INFO_MAGIC 0x4c545254U /* "LTRT" */

/*
 * Written once by the loader, so that a reader can refuse maps it does not
 * understand before it reads a single record.
 */
struct sched_trace_info {
	__u32 magic;		/* SCHED_TRACE_INFO_MAGIC */
	__u32 abi_version;	/* LOTTERY_ABI_VERSION */
	__u32 record_size;	/* sizeof(struct lottery_task) */
	__u32 capacity;		/* max_entries of the runnable map */
	__u32 slot_size;	/* sizeof(struct sched_trace_slot) */
	__u32 reserved;		/* zero */
};

/* sched_trace_slot.state */
#define SCHED_TRACE_SLOT_FREE 0		/* no task: never used, or its task exited */
#define SCHED_TRACE_SLOT_ASLEEP 1	/* the task is blocked */
#define SCHED_TRACE_SLOT_RUNNABLE 2	/* the task is queued or running */

/*
 * One thread the tracer has seen, in the slot its pid's index entry names:
 * the tracer writes the slot in place at each event (no map operation on
 * the hot path) and a reader copies the used slots from a memory mapping.
 *
 * seq is a sequence count: odd while the slot changes hands (a task takes
 * it, exits, or takes a new pid at exec). A reader keeps a record only if
 * seq was even and unchanged across its copy. Between those, the task's own
 * fields are refreshed in place, each by a single aligned store.
 */
struct sched_trace_slot {
	__u32 seq;
	__u32 state;		/* SCHED_TRACE_SLOT_* */
	struct lottery_task task;
};

/*
 * Slots handed out so far: a reader scans [0, min(slots_used, capacity)).
 * Freed slots are reused before new ones, so this is the peak number of
 * threads held at once.
 */
struct sched_trace_usage {
	__u32 slots_used;
	__u32 reserved;
};

#endif /* LOTTERY_SCHED_TRACE_H */
