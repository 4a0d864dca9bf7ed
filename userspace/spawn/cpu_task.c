// SPDX-License-Identifier: MIT
/*
 * cpu_task: a CPU-bound busy loop, the unit of workload that lottery-spawn
 * starts. It never sleeps, so it is runnable for as long as it lives.
 * With a number of seconds it exits by itself; without, it runs until killed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double seconds_since(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) + (now.tv_nsec - start->tv_nsec) / 1e9;
}

int main(int argc, char **argv)
{
	double limit = 0;
	struct timespec start;
	volatile unsigned long spins = 0;

	if (argc > 2 || (argc == 2 && (limit = strtod(argv[1], NULL)) <= 0)) {
		fprintf(stderr, "usage: cpu_task [SECONDS]\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		for (int i = 0; i < 1000000; i++)
			spins++;
		if (limit > 0 && seconds_since(&start) >= limit)
			return 0;
	}
}
