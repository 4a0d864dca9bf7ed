// SPDX-License-Identifier: (GPL-2.0-only OR MIT)
/*
 * lottery.ko: /dev/lottery, a snapshot of the runnable tasks for the lottery
 * scheduler's userspace engine. The layout is in common/lottery_chardev.h.
 *
 * Each open file has its own snapshot. A read at offset 0 takes a new one;
 * reads at later offsets continue through it, so a reader with a small
 * buffer never loses records, and a seek back to 0 starts over.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/ktime.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/uidgid.h>

#include "lottery_chardev.h"

/* PID_MAX_LIMIT on 64-bit: no machine has more tasks than pids. */
#define LOTTERY_MAX_TASKS_LIMIT (4U * 1024 * 1024)
/* Most machines have a few runnable tasks: start small (4 KiB), grow on demand. */
#define LOTTERY_MIN_CAPACITY 64U

static int lottery_set_max_tasks(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 1, LOTTERY_MAX_TASKS_LIMIT);
}

static const struct kernel_param_ops max_tasks_ops = {
	.set = lottery_set_max_tasks,
	.get = param_get_uint,
};

static unsigned int max_tasks = 65536;
module_param_cb(max_tasks, &max_tasks_ops, &max_tasks, 0644);
MODULE_PARM_DESC(max_tasks, "most records in one snapshot (1..4194304, default 65536)");

static ushort mode = 0600;
module_param(mode, ushort, 0444);
MODULE_PARM_DESC(mode, "permissions of /dev/lottery (default 0600: root only)");

/* What a read returns: the ABI header, then the records. */
struct lottery_snapshot {
	struct lottery_snapshot_header header;
	struct lottery_task records[];
};

/* One per open file. */
struct lottery_reader {
	struct mutex lock;	/* serialises reads and ioctls on this file */
	struct lottery_snapshot *snapshot; /* kvmalloc'ed, NULL before the first read */
	size_t size;		/* bytes of snapshot */
	u32 last_seen;		/* runnable tasks at the last snapshot: sizes the next one */
};

static void lottery_fill_record(struct lottery_task *rec, struct task_struct *p, u64 now)
{
	rec->pid = p->pid;
	rec->tgid = task_tgid_nr(p);
	rec->uid = from_kuid(&init_user_ns, task_uid(p));
	rec->nice = task_nice(p);
	rec->policy = p->policy;
	rec->cpu = task_cpu(p);
	rec->flags = (p->flags & PF_KTHREAD) ? LOTTERY_TASK_KTHREAD : 0;
	rec->runtime_ns = READ_ONCE(p->se.sum_exec_runtime);
	rec->last_seen_ns = now;
	/* Lockless, as kernel/sched/debug.c reads it: a racing rename is harmless. */
	strscpy(rec->comm, p->comm, sizeof(rec->comm));
}

/*
 * Copies up to @capacity runnable tasks into @records and returns how many
 * runnable tasks there were, which may be more. Runs under RCU only: no
 * sleeping, allocation or user copies in here.
 */
static u32 lottery_walk_tasks(struct lottery_task *records, u32 capacity, u64 now)
{
	struct task_struct *g, *p;
	u32 seen = 0;

	rcu_read_lock();
	for_each_process_thread(g, p) {
		if (!task_is_running(p))
			continue;
		if (seen < capacity)
			lottery_fill_record(&records[seen], p, now);
		seen++;
	}
	rcu_read_unlock();
	return seen;
}

/*
 * Takes a snapshot into @reader, replacing the one it had. The buffer is
 * allocated before the walk, sized from the reader's last snapshot; if more
 * tasks were runnable than it holds, it is regrown to fit them and the walk
 * retried, up to max_tasks.
 */
static int lottery_take_snapshot(struct lottery_reader *reader)
{
	u32 limit = READ_ONCE(max_tasks);
	u32 capacity = max(LOTTERY_MIN_CAPACITY, reader->last_seen + reader->last_seen / 4);
	struct lottery_snapshot *snap;
	u32 seen;
	u64 now;

	capacity = min(capacity, limit);
	for (;;) {
		snap = kvzalloc(struct_size(snap, records, capacity), GFP_KERNEL);
		if (!snap)
			return -ENOMEM;
		now = ktime_get_ns();
		seen = lottery_walk_tasks(snap->records, capacity, now);
		if (seen <= capacity || capacity == limit)
			break;
		kvfree(snap);
		/* Room for the tasks that woke up between two walks too. */
		capacity = min_t(u64, (u64)seen + seen / 4, limit);
	}
	reader->last_seen = seen;

	snap->header.magic = LOTTERY_SNAPSHOT_MAGIC;
	snap->header.abi_version = LOTTERY_ABI_VERSION;
	snap->header.header_size = sizeof(snap->header);
	snap->header.record_size = sizeof(struct lottery_task);
	snap->header.record_count = min(seen, capacity);
	snap->header.flags = seen > capacity ? LOTTERY_SNAPSHOT_TRUNCATED : 0;
	snap->header.taken_ns = now;
	snap->header.runnable_count = seen;

	kvfree(reader->snapshot);
	reader->snapshot = snap;
	reader->size = struct_size(snap, records, snap->header.record_count);
	return 0;
}

static ssize_t lottery_read(struct file *file, char __user *buf, size_t count, loff_t *ppos)
{
	struct lottery_reader *reader = file->private_data;
	ssize_t ret;

	if (mutex_lock_interruptible(&reader->lock))
		return -ERESTARTSYS;
	ret = 0;
	if (*ppos == 0 || !reader->snapshot)
		ret = lottery_take_snapshot(reader);
	/*
	 * As in seq_read(), the copy to user memory runs under this file's own
	 * mutex, which keeps a concurrent read at 0 from freeing the snapshot
	 * under it; no spinlock or RCU read section is held here.
	 */
	if (!ret)
		ret = simple_read_from_buffer(buf, count, ppos, reader->snapshot, reader->size);
	mutex_unlock(&reader->lock);
	return ret;
}

static long lottery_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct lottery_reader *reader = file->private_data;
	struct lottery_dev_info info = {
		.abi_version = LOTTERY_ABI_VERSION,
		.record_size = sizeof(struct lottery_task),
		.max_tasks = READ_ONCE(max_tasks),
	};

	if (cmd != LOTTERY_IOC_GET_INFO)
		return -ENOTTY;
	mutex_lock(&reader->lock);
	info.snapshot_size = reader->size;
	mutex_unlock(&reader->lock);
	if (copy_to_user((void __user *)arg, &info, sizeof(info)))
		return -EFAULT;
	return 0;
}

static int lottery_open(struct inode *inode, struct file *file)
{
	struct lottery_reader *reader = kzalloc(sizeof(*reader), GFP_KERNEL);

	if (!reader)
		return -ENOMEM;
	mutex_init(&reader->lock);
	file->private_data = reader;
	return 0;
}

static int lottery_release(struct inode *inode, struct file *file)
{
	struct lottery_reader *reader = file->private_data;

	kvfree(reader->snapshot);
	mutex_destroy(&reader->lock);
	kfree(reader);
	return 0;
}

/* .owner pins the module while a file is open: rmmod fails with EBUSY. */
static const struct file_operations lottery_fops = {
	.owner = THIS_MODULE,
	.open = lottery_open,
	.release = lottery_release,
	.read = lottery_read,
	.llseek = no_seek_end_llseek,
	.unlocked_ioctl = lottery_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice lottery_device = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = LOTTERY_DEVICE_NAME,
	.fops = &lottery_fops,
};

static int __init lottery_init(void)
{
	int ret;

	if (mode & ~0777) {
		pr_err("mode %#o is not a set of permission bits\n", mode);
		return -EINVAL;
	}
	lottery_device.mode = mode;
	ret = misc_register(&lottery_device);
	if (ret)
		return ret;
	pr_info("version %s, ABI %d: /dev/%s, max_tasks %u\n", LOTTERY_VERSION,
		LOTTERY_ABI_VERSION, LOTTERY_DEVICE_NAME, max_tasks);
	return 0;
}

static void __exit lottery_exit(void)
{
	misc_deregister(&lottery_device);
}

module_init(lottery_init);
module_exit(lottery_exit);

MODULE_DESCRIPTION("Snapshot of the runnable tasks for the lottery scheduler");
MODULE_AUTHOR("The lottery authors");
MODULE_LICENSE("Dual MIT/GPL");
MODULE_VERSION(LOTTERY_VERSION);
