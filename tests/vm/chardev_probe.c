// SPDX-License-Identifier: MIT
/*
 * chardev_probe: exercises /dev/lottery from inside the test VM, in C with
 * no dependencies so it links statically. Each command checks one promise of
 * the module and exits non-zero, with a line on stderr, when it is broken.
 *
 *   info                     the ioctl: ABI, sizes, ENOTTY, EFAULT
 *   forms                    1-byte, odd-sized and large reads give valid snapshots
 *   seek                     offset 0 takes a fresh snapshot, other offsets continue
 *   readers N SECONDS        N processes reading at random sizes and seeks at once
 *   time COUNT               mean and worst time of COUNT whole snapshots
 *   children N SECONDS sleep|spin   N processes that sleep (tasks to walk past) or
 *                            spin (runnable tasks) for SECONDS
 *   expect PID NICE...       each PID is in a snapshot with that nice value
 *   dump                     one line per record: pid tgid nice policy flags comm
 *   unload-while-open        rmmod is refused while this file is open, which still works
 *   as-uid UID CMD ARGS...   runs CMD as UID (busybox has no su without a passwd file)
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "probe_snapshot.h"

static int cmd_info(void)
{
	struct lottery_dev_info info;
	int fd = open_device();
	struct snapshot snap;

	memset(&info, 0xff, sizeof(info));
	if (ioctl(fd, LOTTERY_IOC_GET_INFO, &info) != 0)
		die("LOTTERY_IOC_GET_INFO: %s", strerror(errno));
	if (info.abi_version != LOTTERY_ABI_VERSION ||
	    info.record_size != sizeof(struct lottery_task) ||
	    info.max_tasks == 0 || info.reserved != 0 || info.snapshot_size != 0)
		die("bad info before a read: abi %u record %u max %u size %llu", info.abi_version,
		    info.record_size, info.max_tasks, (unsigned long long)info.snapshot_size);
	take(fd, 4096, &snap);
	if (ioctl(fd, LOTTERY_IOC_GET_INFO, &info) != 0 || info.snapshot_size != snap.size)
		die("info says a snapshot of %llu bytes, read %zu",
		    (unsigned long long)info.snapshot_size, snap.size);
	if (ioctl(fd, _IOR(LOTTERY_IOC_MAGIC, 99, struct lottery_dev_info), &info) == 0 ||
	    errno != ENOTTY)
		die("an unknown ioctl did not fail with ENOTTY: %s", strerror(errno));
	if (ioctl(fd, LOTTERY_IOC_GET_INFO, (void *)8) == 0 || errno != EFAULT)
		die("GET_INFO to a bad pointer did not fail with EFAULT: %s", strerror(errno));
	printf("abi %u record_size %u max_tasks %u snapshot_size %llu\n", info.abi_version,
	       info.record_size, info.max_tasks, (unsigned long long)info.snapshot_size);
	return 0;
}

static int cmd_forms(void)
{
	static const size_t chunks[] = { 1, 7, 61, 4096, 1 << 20 };
	int fd = open_device();

	for (size_t i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		struct snapshot snap;
		struct timespec t0, t1;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		take(fd, chunks[i], &snap);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		printf("buffer %zu: %u records of %u runnable%s, %zu bytes, %ld us\n", chunks[i],
		       snap.header.record_count, snap.header.runnable_count,
		       (snap.header.flags & LOTTERY_SNAPSHOT_TRUNCATED) ? ", truncated" : "",
		       snap.size,
		       elapsed_us(&t0, &t1));
		free(snap.bytes);
	}
	return 0;
}

static int cmd_seek(void)
{
	struct lottery_snapshot_header first, again, by_pread;
	struct snapshot snap;
	int fd = open_device();
	unsigned char rest[64];

	take(fd, 4096, &snap);
	first = snap.header;
	/* A read at a later offset continues the same snapshot... */
	if (pread(fd, rest, sizeof(rest), 8) != sizeof(rest) ||
	    memcmp(rest, snap.bytes + 8, sizeof(rest)))
		die("a read at offset 8 did not continue the snapshot");
	free(snap.bytes);
	/* ...and one at 0, through lseek or pread, takes a new one. */
	take(fd, 4096, &snap);
	again = snap.header;
	free(snap.bytes);
	if (pread(fd, &by_pread, sizeof(by_pread), 0) != sizeof(by_pread))
		die("pread at 0: %s", strerror(errno));
	if (!(first.taken_ns < again.taken_ns && again.taken_ns < by_pread.taken_ns))
		die("taken_ns did not grow: %llu, %llu, %llu", (unsigned long long)first.taken_ns,
		    (unsigned long long)again.taken_ns, (unsigned long long)by_pread.taken_ns);
	if (lseek(fd, 0, SEEK_END) != -1 || errno != EINVAL)
		die("SEEK_END did not fail with EINVAL");
	printf("taken_ns %llu -> %llu -> %llu\n", (unsigned long long)first.taken_ns,
	       (unsigned long long)again.taken_ns, (unsigned long long)by_pread.taken_ns);
	return 0;
}

/* Snapshots at random buffer sizes, some abandoned halfway by a seek to 0. */
static void reader_loop(unsigned int seed, int seconds)
{
	time_t end = time(NULL) + seconds;
	int fd = open_device();
	unsigned long snapshots = 0;

	srand(seed);
	while (time(NULL) < end) {
		struct snapshot snap;
		char partial[512];

		/* A reader that gives up halfway and starts over. */
		if (rand() % 4 == 0 &&
		    pread(fd, partial, 1 + rand() % sizeof(partial), 0) < 0)
			die("partial read: %s", strerror(errno));
		take(fd, 1 + rand() % (rand() % 2 ? 64 : 65536), &snap);
		free(snap.bytes);
		snapshots++;
	}
	printf("reader %u: %lu snapshots\n", seed, snapshots);
	exit(0);
}

static int cmd_readers(int readers, int seconds)
{
	int failed = 0, status;

	for (int i = 0; i < readers; i++) {
		pid_t pid = fork();

		if (pid < 0)
			die("fork: %s", strerror(errno));
		if (pid == 0)
			reader_loop(i + 1, seconds);
	}
	while (wait(&status) > 0)
		failed += !WIFEXITED(status) || WEXITSTATUS(status) != 0;
	if (failed)
		die("%d of %d readers failed", failed, readers);
	return 0;
}

static int cmd_time(int count)
{
	long total = 0, worst = 0;
	struct snapshot snap = { 0 };
	int fd = open_device();

	for (int i = 0; i < count; i++) {
		struct timespec t0, t1;

		free(snap.bytes);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		take(fd, 1 << 20, &snap);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		total += elapsed_us(&t0, &t1);
		if (elapsed_us(&t0, &t1) > worst)
			worst = elapsed_us(&t0, &t1);
	}
	printf("%d snapshots of %u records: mean %ld us, worst %ld us\n", count,
	       snap.header.record_count, total / count, worst);
	return 0;
}

static int cmd_children(int count, int seconds, int spin)
{
	int start[2], ready[2];
	char byte = 0;

	/*
	 * Children wait for EOF on `start`, so spinners do not slow the forks.
	 * EOF comes only once every child has closed its copy of the write end,
	 * so each says so on `ready` first: after the parent's close, all of
	 * them are woken (runnable) at once, before "started" is printed.
	 */
	if (pipe(start) || pipe(ready))
		die("pipe: %s", strerror(errno));
	for (int i = 0; i < count; i++) {
		pid_t pid = fork();

		if (pid < 0)
			die("fork: %s", strerror(errno));
		if (pid == 0) {
			time_t end;

			prctl(PR_SET_PDEATHSIG, SIGKILL); /* gone with the case that started us */
			close(start[1]);
			close(ready[0]);
			if (write(ready[1], &byte, 1) != 1)
				_exit(1);
			close(ready[1]);
			if (read(start[0], &byte, 1) < 0)
				_exit(1);
			end = time(NULL) + seconds;
			while (spin && time(NULL) < end)
				;
			if (!spin)
				sleep(seconds);
			_exit(0);
		}
	}
	close(ready[1]);
	for (int i = 0; i < count; i++)
		if (read(ready[0], &byte, 1) != 1)
			die("a child died before it was ready");
	close(start[1]);
	printf("started %d\n", count);
	fflush(stdout);
	while (wait(NULL) > 0)
		;
	return 0;
}

static int cmd_expect(int argc, char **argv)
{
	struct snapshot snap;
	int fd = open_device();

	take(fd, 4096, &snap);
	for (int i = 0; i + 1 < argc; i += 2) {
		const struct lottery_task *t = find_pid(&snap, strtoul(argv[i], NULL, 10));

		if (!t)
			die("pid %s is not in a snapshot of %u records", argv[i],
			    snap.header.record_count);
		if (t->nice != atoi(argv[i + 1]))
			die("pid %s has nice %d, expected %s", argv[i], t->nice, argv[i + 1]);
		printf("pid %u comm %s nice %d\n", t->pid, t->comm, t->nice);
	}
	return 0;
}

static int cmd_dump(void)
{
	struct snapshot snap;
	int fd = open_device();

	take(fd, 4096, &snap);
	for (__u32 i = 0; i < snap.header.record_count; i++) {
		const struct lottery_task *t = &snap.records[i];

		printf("%u %u %d %u %u %s\n", t->pid, t->tgid, t->nice, t->policy, t->flags,
		       t->comm);
	}
	return 0;
}

static int cmd_unload_while_open(void)
{
	struct snapshot snap;
	int fd = open_device();

	take(fd, 4096, &snap);
	if (syscall(SYS_delete_module, "lottery", O_NONBLOCK) == 0)
		die("the module was unloaded while a reader held it open");
	if (errno != EAGAIN && errno != EBUSY)
		die("rmmod failed with %s, not EAGAIN/EBUSY", strerror(errno));
	printf("rmmod refused while open: %s\n", strerror(errno));
	free(snap.bytes);
	take(fd, 7, &snap);
	printf("still readable: %u records\n", snap.header.record_count);
	return 0;
}

static int cmd_as_uid(uid_t uid, char **argv)
{
	if (setgroups(0, NULL) || setgid(uid) || setuid(uid))
		die("dropping to uid %u: %s", uid, strerror(errno));
	execvp(argv[0], argv);
	die("exec %s: %s", argv[0], strerror(errno));
	return 1;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	if (getenv("LOTTERY_DEVICE"))
		device = getenv("LOTTERY_DEVICE");
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(cmd, "info"))
		return cmd_info();
	if (!strcmp(cmd, "forms"))
		return cmd_forms();
	if (!strcmp(cmd, "seek"))
		return cmd_seek();
	if (!strcmp(cmd, "readers") && argc == 4)
		return cmd_readers(atoi(argv[2]), atoi(argv[3]));
	if (!strcmp(cmd, "time") && argc == 3 && atoi(argv[2]) > 0)
		return cmd_time(atoi(argv[2]));
	if (!strcmp(cmd, "children") && argc == 5)
		return cmd_children(atoi(argv[2]), atoi(argv[3]), !strcmp(argv[4], "spin"));
	if (!strcmp(cmd, "expect") && argc >= 4 && argc % 2 == 0)
		return cmd_expect(argc - 2, argv + 2);
	if (!strcmp(cmd, "dump"))
		return cmd_dump();
	if (!strcmp(cmd, "unload-while-open"))
		return cmd_unload_while_open();
	if (!strcmp(cmd, "as-uid") && argc >= 4)
		return cmd_as_uid(strtoul(argv[2], NULL, 10), argv + 3);
	fprintf(stderr, "usage: chardev_probe info|forms|seek|readers N SECONDS|time COUNT|\n"
			"       children N SECONDS sleep|spin|expect PID NICE...|dump|unload-while-open|\n"
			"       as-uid UID CMD...\n");
	return 2;
}
