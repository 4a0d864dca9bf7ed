// SPDX-License-Identifier: MIT
/*
 * spin_threads: N threads that spin until killed, so that a scheduler has
 * N runnable tasks to draw from (the sched_ext benchmark's load; threads,
 * not processes, so that 10 000 of them fit in the VM's memory). Prints how
 * many it started, which may be fewer than asked if the kernel refuses.
 *
 *   usage: spin_threads N
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void *spin(void *arg)
{
	volatile unsigned long n = 0;

	(void)arg;
	for (;;)
		n++;
	return NULL;
}

int main(int argc, char **argv)
{
	long want = argc == 2 ? strtol(argv[1], NULL, 10) : 0, started = 0;
	pthread_attr_t attr;
	pthread_t thread;

	if (want <= 0) {
		fprintf(stderr, "usage: spin_threads N\n");
		return 2;
	}
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	/* The main thread is the first spinner. */
	for (started = 1; started < want; started++)
		if (pthread_create(&thread, &attr, spin, NULL) != 0)
			break;
	printf("%ld\n", started);
	fflush(stdout);
	spin(NULL);
	return 0;
}
