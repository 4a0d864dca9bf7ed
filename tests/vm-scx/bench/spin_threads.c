// SPDX-License-Identifier: MIT
/*
 * spin_threads: N threads that stay runnable until killed, each spinning
 * briefly and then yielding the CPU, so that a scheduler has N runnable
 * tasks to draw from and holds a draw at every yield (the sched_ext
 * benchmark's load). Yielding keeps every thread's wait short: N busy loops
 * at a 4 ms slice would leave some of them waiting longer than sched_ext's
 * 30 s watchdog at N = 10 000 and get the scheduler ejected. Threads, not
 * processes, so that 10 000 of them fit in the VM's memory; they start
 * yielding together once all exist, so that creating them does not compete
 * with them. Prints how many it started, which may be fewer than asked if
 * the kernel refuses.
 *
 *   usage: spin_threads N
 */
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#define SPIN 200 /* loop iterations between yields */

static int go;

static void *spin(void *arg)
{
	(void)arg;
	while (!__atomic_load_n(&go, __ATOMIC_ACQUIRE))
		syscall(SYS_futex, &go, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
	for (;;) {
		for (volatile int i = 0; i < SPIN; i++)
			;
		sched_yield();
	}
	return NULL;
}

int main(int argc, char **argv)
{
	long want = argc == 2 ? strtol(argv[1], NULL, 10) : 0, started;
	pthread_attr_t attr;
	pthread_t thread;

	if (want <= 0) {
		fprintf(stderr, "usage: spin_threads N\n");
		return 2;
	}
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	for (started = 0; started < want; started++)
		if (pthread_create(&thread, &attr, spin, NULL) != 0)
			break;
	__atomic_store_n(&go, 1, __ATOMIC_RELEASE);
	syscall(SYS_futex, &go, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
	printf("%ld\n", started);
	fflush(stdout);
	for (;;)
		pause();
	return 0;
}
