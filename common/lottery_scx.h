/* SPDX-License-Identifier: (GPL-2.0-only OR MIT) */
/*
 * The sched_ext lottery scheduler (bpf/lottery_scx.bpf.c) and its loader
 * (userspace/scx/): the settings the loader writes before load, the maps it
 * writes while the scheduler runs, and what it reads back. Includer provides
 * the __u32 types (vmlinux.h in BPF, <linux/types.h> in userspace).
 *
 * Bump LOTTERY_SCX_ABI_VERSION on any incompatible change: the loader
 * refuses an object whose `abi_version` differs from its own.
 */
#ifndef LOTTERY_SCX_H
#define LOTTERY_SCX_H

#define LOTTERY_SCX_ABI_VERSION 2

/*
 * Task slots per ticket tree, a power of two: a tree holds at most
 * LOTTERY_SCX_SLOTS - 1 queued tasks (slot 0 is the Fenwick tree's unused
 * root). A task that finds its tree full is queued FIFO instead, and
 * counted in `overflow`.
 */
#define LOTTERY_SCX_SLOT_BITS 14
#define LOTTERY_SCX_SLOTS (1U << LOTTERY_SCX_SLOT_BITS)

/* One tree per CPU (tasks that may not run everywhere) plus the shared one. */
#define LOTTERY_SCX_MAX_CPUS 512
#define LOTTERY_SCX_SHARED_TREE 0 /* tree of CPU c: c + 1 */

#define LOTTERY_SCX_NICE_LEVELS 40 /* nice -20..19, as sched_prio_to_weight */

#define LOTTERY_SCX_POLICY_LOTTERY 0
#define LOTTERY_SCX_POLICY_STRIDE 1

/* Fixed-point unit of compensation factors: 1.0. */
#define LOTTERY_SCX_COMP_UNIT 1024

/* Map `task_tickets`: __u32 tid or tgid -> __u64 tickets, written by userspace. */
#define LOTTERY_SCX_TICKET_ENTRIES 65536
/*
 * Currencies (--group, --per-user): map `task_currency`, __u32 tgid -> __u32
 * currency (1 .. LOTTERY_SCX_CURRENCIES - 1; 0 is none), and array
 * `currency_funding`, currency -> __u64 tickets, written by userspace. A
 * member's tickets in task_tickets are its value when every member is
 * runnable; the kernel divides the funding among the runnable ones.
 */
#define LOTTERY_SCX_CURRENCIES 256
/* Map `task_stats`: __u32 tid -> struct lottery_scx_task_stats (LRU). */
#define LOTTERY_SCX_STAT_ENTRIES 16384

/* Per-CPU counters (map `counters`, one entry), summed by the loader. */
struct lottery_scx_counters {
	__u64 dispatches;	/* ops.dispatch calls that held a draw */
	__u64 prev_kept;	/* draws the running task won again */
	__u64 dispatched;	/* draws won by a queued task */
	__u64 empty;		/* ops.dispatch with nothing to draw */
	__u64 retries;		/* draws repeated because a tree changed */
	__u64 stale;		/* winners that had exited */
	__u64 overflow;		/* tasks queued FIFO: their tree was full */
	__u64 enqueued;
	__u64 queued_seen;	/* tasks this CPU could draw from at its last dispatch */
};

struct lottery_scx_task_stats {
	__u64 wins;
	__u64 runtime_ns;	/* while this scheduler ran it */
	__u64 tickets;		/* as it last ran: in its currency's value, compensation excluded */
	__u32 tgid;
	__u32 reserved;
};

#define LOTTERY_SCX_REASON_LEN 128
#define LOTTERY_SCX_MSG_LEN 1024

/* ops.exit's scx_exit_info, copied for the loader; kind 0 while running. */
struct lottery_scx_exit {
	__s32 kind;		/* enum scx_exit_kind */
	__u32 reserved;
	__s64 exit_code;
	char reason[LOTTERY_SCX_REASON_LEN];
	char msg[LOTTERY_SCX_MSG_LEN];
};

#endif /* LOTTERY_SCX_H */
