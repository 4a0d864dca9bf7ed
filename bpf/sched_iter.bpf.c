// SPDX-License-Identifier: (GPL-2.0-only OR MIT)
/*
 * sched_iter: the runnable tasks, taken only when someone asks. The loader
 * pins this task iterator's link; every read of the pinned file walks the
 * machine's tasks and yields a snapshot in the layout of a /dev/lottery read
 * (common/lottery_snapshot.h). Nothing runs between reads: the scheduler's
 * hot path carries no program at all.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "lottery_snapshot.h"
#include "task_fields.bpf.h"

/*
 * Written first, before any task is seen: the record count is not known
 * yet, so the reader counts the records that follow (UNCOUNTED).
 */
static __always_inline void write_header(struct seq_file *seq)
{
	struct lottery_snapshot_header header = {
		.magic = LOTTERY_SNAPSHOT_MAGIC,
		.abi_version = LOTTERY_ABI_VERSION,
		.header_size = sizeof(header),
		.record_size = sizeof(struct lottery_task),
		.flags = LOTTERY_SNAPSHOT_UNCOUNTED,
		.taken_ns = bpf_ktime_get_ns(),
	};

	bpf_seq_write(seq, &header, sizeof(header));
}

/*
 * Set by bench/round_bench only: every task is a record, so that a round at
 * 10 000 records can be timed over 10 000 sleeping threads rather than
 * 10 000 spinners on a shared machine. The walk is the same either way.
 */
const volatile bool every_task = false;

SEC("iter/task")
int runnable_snapshot(struct bpf_iter__task *ctx)
{
	struct seq_file *seq = ctx->meta->seq;
	struct task_struct *t = ctx->task;
	struct lottery_task record;

	/* seq_num counts the tasks shown so far in this read session. */
	if (ctx->meta->seq_num == 0)
		write_header(seq);
	if (!t || !t->pid)	/* the end of the walk; the idle task */
		return 0;
	/*
	 * Runnable as the module counts it (task_is_running(): __state is
	 * TASK_RUNNING), and queued, as the tracer's seeding counts it:
	 * wake_up_new_task() makes a child TASK_RUNNING a moment before it
	 * queues it. A task that sleeps under EEVDF's delayed dequeue stays
	 * queued, but with a sleeping state: it is left out as it should be.
	 */
	if (!every_task && (task_state(t) != TASK_RUNNING || !t->on_rq))
		return 0;
	fill_task_record(&record, t);
	bpf_seq_write(seq, &record, sizeof(record));
	return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
