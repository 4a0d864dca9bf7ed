// SPDX-License-Identifier: MIT
/*
 * io_task: an I/O-bound stand-in for the compensation experiment. It
 * computes for BUSY_MS of its own CPU time, then blocks for SLEEP_MS, over
 * and over: the task the paper's compensation tickets are for, one that
 * uses only part of each quantum it wins. CPU time (not wall time) bounds
 * a burst, so time spent held by lottery does not shorten it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double seconds(clockid_t clock)
{
	struct timespec now;

	clock_gettime(clock, &now);
	return (double)now.tv_sec + now.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	volatile unsigned long spins = 0;
	double busy, pause, limit = 0, start;

	if (argc < 3 || argc > 4 || (busy = atof(argv[1]) / 1e3) <= 0 ||
	    (pause = atof(argv[2]) / 1e3) <= 0 || (argc == 4 && (limit = atof(argv[3])) <= 0)) {
		fprintf(stderr, "usage: io_task BUSY_MS SLEEP_MS [SECONDS]\n");
		return 2;
	}
	start = seconds(CLOCK_MONOTONIC);
	for (;;) {
		double burst_end = seconds(CLOCK_THREAD_CPUTIME_ID) + busy;
		struct timespec nap = {(time_t)pause, (long)((pause - (time_t)pause) * 1e9)};

		while (seconds(CLOCK_THREAD_CPUTIME_ID) < burst_end)
			for (int i = 0; i < 10000; i++)
				spins++;
		nanosleep(&nap, NULL);
		if (limit > 0 && seconds(CLOCK_MONOTONIC) - start >= limit)
			return 0;
	}
}
