// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "probe_snapshot.h"

const char *device = LOTTERY_DEVICE_PATH;

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "chardev_probe: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(1);
}

long elapsed_us(const struct timespec *from, const struct timespec *to)
{
	return (to->tv_sec - from->tv_sec) * 1000000L + (to->tv_nsec - from->tv_nsec) / 1000;
}

int open_device(void)
{
	int fd = open(device, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		die("open %s: %s", device, strerror(errno));
	return fd;
}

/* Reads from the current offset to EOF, chunk bytes at a time. */
static void read_to_eof(int fd, size_t chunk, struct snapshot *snap)
{
	size_t capacity = 1 << 16;
	ssize_t n;

	snap->bytes = malloc(capacity);
	snap->size = 0;
	for (;;) {
		if (snap->size + chunk > capacity) {
			capacity = 2 * (snap->size + chunk);
			snap->bytes = realloc(snap->bytes, capacity);
		}
		if (!snap->bytes)
			die("out of memory");
		n = read(fd, snap->bytes + snap->size, chunk);
		if (n < 0)
			die("read of %zu bytes: %s", chunk, strerror(errno));
		if (n == 0)
			return;
		if ((size_t)n > chunk)
			die("read returned %zd bytes for a %zu-byte buffer", n, chunk);
		snap->size += n;
	}
}

/* Checks the snapshot's form: header, exact size, every record plausible. */
static void check_snapshot(struct snapshot *snap)
{
	const struct lottery_snapshot_header *h = &snap->header;
	int truncated;

	if (snap->size < sizeof(*h))
		die("snapshot of %zu bytes is shorter than its header", snap->size);
	memcpy(&snap->header, snap->bytes, sizeof(*h));
	snap->records = (const struct lottery_task *)(snap->bytes + sizeof(*h));
	if (h->magic != LOTTERY_SNAPSHOT_MAGIC || h->abi_version != LOTTERY_ABI_VERSION ||
	    h->header_size != sizeof(*h) || h->record_size != sizeof(struct lottery_task) ||
	    h->reserved != 0)
		die("bad header: magic %#x abi %u sizes %u/%u", h->magic, h->abi_version,
		    h->header_size, h->record_size);
	if (snap->size != sizeof(*h) + (size_t)h->record_count * h->record_size)
		die("%zu bytes for %u records", snap->size, h->record_count);
	truncated = h->runnable_count > h->record_count;
	if (h->record_count > h->runnable_count ||
	    !!(h->flags & LOTTERY_SNAPSHOT_TRUNCATED) != truncated)
		die("counts disagree: %u records, %u runnable, flags %#x", h->record_count,
		    h->runnable_count, h->flags);
	if (h->record_count == 0)
		die("no runnable task at all, not even this reader");
	for (__u32 i = 0; i < h->record_count; i++) {
		const struct lottery_task *t = &snap->records[i];

		if (t->pid == 0 || t->tgid == 0 || t->nice < -20 || t->nice > 19 ||
		    t->policy > LOTTERY_SCHED_EXT || (t->flags & ~LOTTERY_TASK_KTHREAD) ||
		    t->reserved || !memchr(t->comm, 0, sizeof(t->comm)) ||
		    t->last_seen_ns != h->taken_ns)
			die("record %u (pid %u) is not plausible", i, t->pid);
	}
}

void take(int fd, size_t chunk, struct snapshot *snap)
{
	if (lseek(fd, 0, SEEK_SET) != 0)
		die("lseek to 0: %s", strerror(errno));
	read_to_eof(fd, chunk, snap);
	check_snapshot(snap);
}

const struct lottery_task *find_pid(const struct snapshot *snap, __u32 pid)
{
	for (__u32 i = 0; i < snap->header.record_count; i++)
		if (snap->records[i].pid == pid)
			return &snap->records[i];
	return NULL;
}

