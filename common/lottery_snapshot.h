/* SPDX-License-Identifier: (GPL-2.0-only OR MIT) */
/*
 * A snapshot of the runnable tasks: a struct lottery_snapshot_header followed
 * by records of record_size bytes (struct lottery_task). Two producers write
 * it: a read of /dev/lottery (kmod/lottery.ko) and a read of the pinned BPF
 * task iterator (bpf/sched_iter.bpf.c), so that one parser serves both.
 *
 * The includer provides __u32/__u64, as for lottery_task.h.
 */
#ifndef LOTTERY_SNAPSHOT_H
#define LOTTERY_SNAPSHOT_H

#include "lottery_task.h"

#define LOTTERY_SNAPSHOT_MAGIC 0x4c4f5454U /* "LOTT" */

struct lottery_snapshot_header {
	__u32 magic;		/* LOTTERY_SNAPSHOT_MAGIC */
	__u32 abi_version;	/* LOTTERY_ABI_VERSION */
	__u32 header_size;	/* sizeof(struct lottery_snapshot_header) */
	__u32 record_size;	/* sizeof(struct lottery_task) */
	__u32 record_count;	/* records that follow the header */
	__u32 flags;		/* LOTTERY_SNAPSHOT_* */
	__u64 taken_ns;		/* CLOCK_MONOTONIC when the snapshot was taken */
	__u32 runnable_count;	/* runnable tasks seen: > record_count when truncated */
	__u32 reserved;		/* zero */
};

/* lottery_snapshot_header.flags */
#define LOTTERY_SNAPSHOT_TRUNCATED (1U << 0) /* more runnable tasks than max_tasks */
/*
 * record_count and runnable_count are 0 and the records run to the end of
 * the data: a BPF iterator writes the header before it has seen the tasks,
 * and it holds every one (never TRUNCATED).
 */
#define LOTTERY_SNAPSHOT_UNCOUNTED (1U << 1)

#endif /* LOTTERY_SNAPSHOT_H */
