/* SPDX-License-Identifier: MIT */
/* Reading and checking /dev/lottery snapshots, for chardev_probe. */
#ifndef PROBE_SNAPSHOT_H
#define PROBE_SNAPSHOT_H

#include <stddef.h>
#include <time.h>

#include <linux/types.h>

#include "lottery_chardev.h"

struct snapshot {
	unsigned char *bytes;
	size_t size;
	struct lottery_snapshot_header header;
	const struct lottery_task *records; /* into bytes; the header keeps them aligned */
};

extern const char *device; /* LOTTERY_DEVICE_PATH, or $LOTTERY_DEVICE */

void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
long elapsed_us(const struct timespec *from, const struct timespec *to);
int open_device(void);
/* Seeks to 0, so the module takes a new snapshot, reads it chunk bytes at a time and checks it. */
void take(int fd, size_t chunk, struct snapshot *snap);
const struct lottery_task *find_pid(const struct snapshot *snap, __u32 pid);

#endif /* PROBE_SNAPSHOT_H */
