/* SPDX-License-Identifier: (GPL-2.0-only OR MIT) */
/*
 * Reading a task_struct into a struct lottery_task, on every kernel from
 * Debian 12's 6.1 on. Fields that moved between versions are read through
 * CO-RE: bpf_core_field_exists picks the layout of the running kernel and
 * libbpf strips the ___old suffix when it matches the flavour below.
 */
#ifndef SCHED_TRACE_TASK_FIELDS_BPF_H
#define SCHED_TRACE_TASK_FIELDS_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#include "lottery_task.h"

/* From <linux/sched.h>, which BPF programs cannot include. */
#define TASK_RUNNING	0
#define PF_KTHREAD	0x00200000
#define MAX_RT_PRIO	100
#define NICE_0_PRIO	(MAX_RT_PRIO + 20)	/* static_prio of nice 0 */

/*
 * task_struct::state became __state in 5.14 (commit 2f064a59a11f, "sched:
 * Change task_struct::state"), and task_struct::cpu moved to thread_info::cpu
 * in 5.16 (commit bcf9033e5449, "sched: move CPU field back into thread_info
 * if THREAD_INFO_IN_TASK=y"). This is the older layout.
 */
struct task_struct___old {
	long state;
	unsigned int cpu;
} __attribute__((preserve_access_index));

/*
 * The programs get @t as a BTF pointer, so its fields are read with plain
 * loads (relocated by CO-RE) rather than bpf_probe_read_kernel() calls: this
 * runs on every context switch.
 */
static __always_inline __u32 task_state(struct task_struct *t)
{
	if (bpf_core_field_exists(t->__state))
		return t->__state;
	return ((struct task_struct___old *)t)->state;
}

static __always_inline __u32 task_cpu(struct task_struct *t)
{
	if (bpf_core_field_exists(t->thread_info.cpu))
		return t->thread_info.cpu;
	return ((struct task_struct___old *)t)->cpu;
}

/* What changes while a task stays runnable: refreshed at each preemption. */
static __always_inline void refresh_task_record(struct lottery_task *record, struct task_struct *t)
{
	record->nice = t->static_prio - NICE_0_PRIO;
	record->policy = t->policy;
	record->cpu = task_cpu(t);
	record->runtime_ns = t->se.sum_exec_runtime;
	record->last_seen_ns = bpf_ktime_get_ns();
}

static __always_inline void fill_task_record(struct lottery_task *record, struct task_struct *t)
{
	record->pid = t->pid;
	record->tgid = t->tgid;
	record->uid = t->real_cred->uid.val;
	record->flags = t->flags & PF_KTHREAD ? LOTTERY_TASK_KTHREAD : 0;
	record->reserved = 0;
	__builtin_memcpy(record->comm, t->comm, sizeof(record->comm));
	refresh_task_record(record, t);
}

#endif /* SCHED_TRACE_TASK_FIELDS_BPF_H */
