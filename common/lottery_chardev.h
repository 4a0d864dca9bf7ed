/* SPDX-License-Identifier: (GPL-2.0-only OR MIT) */
/*
 * /dev/lottery: the kernel module's snapshot of the runnable tasks.
 *
 * A read at offset 0 takes a snapshot for this open file; reads continue
 * through it, and seeking back to 0 takes a fresh one. A snapshot is a
 * struct lottery_snapshot_header followed by record_count records of
 * record_size bytes (struct lottery_task).
 */
#ifndef LOTTERY_CHARDEV_H
#define LOTTERY_CHARDEV_H

#ifdef __KERNEL__
#include <linux/ioctl.h>
#include <linux/types.h>
#else
#include <sys/ioctl.h>
#include <linux/types.h>
#endif

#include "lottery_snapshot.h"

#define LOTTERY_DEVICE_NAME "lottery"
#define LOTTERY_DEVICE_PATH "/dev/lottery"

struct lottery_dev_info {
	__u32 abi_version;	/* LOTTERY_ABI_VERSION */
	__u32 record_size;	/* sizeof(struct lottery_task) */
	__u32 max_tasks;	/* module parameter: records a snapshot can hold */
	__u32 reserved;		/* zero */
	__u64 snapshot_size;	/* bytes of this file's current snapshot, 0 if none yet */
};

#define LOTTERY_IOC_MAGIC 'L'
#define LOTTERY_IOC_GET_INFO _IOR(LOTTERY_IOC_MAGIC, 1, struct lottery_dev_info)

#endif /* LOTTERY_CHARDEV_H */
