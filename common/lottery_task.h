/* SPDX-License-Identifier: (GPL-2.0-only OR MIT) */
/*
 * The record that describes one runnable task. It is the one contract shared
 * by the BPF tracer, the kernel module and userspace, so it holds only
 * fixed-width fields, naturally aligned, with explicit padding.
 *
 * The includer provides __u32/__s32/__u64: <linux/types.h> in the kernel and
 * in userspace, "vmlinux.h" in BPF programs (which must not include
 * <linux/types.h> as well).
 */
#ifndef LOTTERY_TASK_H
#define LOTTERY_TASK_H

/* Bumped on any incompatible change to a record or to a snapshot layout. */
#define LOTTERY_ABI_VERSION 1

#define LOTTERY_COMM_LEN 16

/* lottery_task.flags */
#define LOTTERY_TASK_KTHREAD (1U << 0) /* PF_KTHREAD: a kernel thread */

/* Scheduling policies, as in <linux/sched.h> (BPF cannot include it). */
#define LOTTERY_SCHED_NORMAL 0
#define LOTTERY_SCHED_FIFO 1
#define LOTTERY_SCHED_RR 2
#define LOTTERY_SCHED_BATCH 3
#define LOTTERY_SCHED_IDLE 5
#define LOTTERY_SCHED_DEADLINE 6
#define LOTTERY_SCHED_EXT 7

struct lottery_task {
	__u32 pid;		/* thread id (task_struct::pid) */
	__u32 tgid;		/* process id */
	__u32 uid;		/* real uid, in the initial user namespace */
	__s32 nice;		/* -20..19, from static_prio */
	__u32 policy;		/* LOTTERY_SCHED_* */
	__u32 cpu;		/* CPU the task was last seen on or queued to */
	__u32 flags;		/* LOTTERY_TASK_* */
	__u32 reserved;		/* zero */
	__u64 runtime_ns;	/* se.sum_exec_runtime when last seen */
	__u64 last_seen_ns;	/* CLOCK_MONOTONIC (ktime_get_ns) of the last update */
	char comm[LOTTERY_COMM_LEN]; /* NUL-terminated */
};

#endif /* LOTTERY_TASK_H */
