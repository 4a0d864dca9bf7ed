/* SPDX-License-Identifier: (GPL-2.0-only OR MIT) */
/*
 * What `lottery-tracer load` leaves under bpffs, in one of two modes:
 * trace (bpf/sched_trace.bpf.c: maps kept up to date by tracepoints, read by
 * the bpf backend of `lottery`) or iter (bpf/sched_iter.bpf.c: a pinned task
 * iterator that takes a snapshot at each read, for the iter backend).
 * Includer provides the __u32 types, as for lottery_task.h.
 */
#ifndef LOTTERY_SCHED_TRACE_H
#define LOTTERY_SCHED_TRACE_H

#include "lottery_task.h"

#define SCHED_TRACE_PIN_DIR "/sys/fs/bpf/sched_trace"

/* Pinned objects, relative to SCHED_TRACE_PIN_DIR. Iter mode: */
#define SCHED_TRACE_SNAPSHOT_ITER "snapshot"	/* iter/task link: a read yields a lottery_snapshot.h snapshot */
/* Trace mode: */
#define SCHED_TRACE_RUNNABLE_MAP "runnable"	/* hash: __u32 pid -> struct lottery_task */
#define SCHED_TRACE_MISSES_MAP "misses"		/* percpu array[1]: __u64 inserts lost to a full map */
#define SCHED_TRACE_INFO_MAP "info"		/* array[1]: struct sched_trace_info */

/* Default capacity of the runnable map: the default pid_max. */
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
};

#endif /* LOTTERY_SCHED_TRACE_H */
