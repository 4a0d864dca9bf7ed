// SPDX-License-Identifier: MIT
/*
 * pipe_pingpong: two processes pass one byte back and forth through two
 * pipes COUNT times (as `perf bench sched pipe` does) and print the mean
 * time of one round trip in ns: every round trip is two wakeups and two
 * context switches, so it measures the scheduler's wakeup path.
 *
 *   usage: pipe_pingpong COUNT
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long count = argc == 2 ? strtol(argv[1], NULL, 10) : 0;
	int ping[2], pong[2];
	struct timespec a, b;
	char byte = 0;

	if (count <= 0 || pipe(ping) || pipe(pong)) {
		fprintf(stderr, "usage: pipe_pingpong COUNT\n");
		return 2;
	}
	pid_t child = fork();
	if (child < 0)
		return 1;
	if (child == 0) {
		for (long i = 0; i < count; i++)
			if (read(ping[0], &byte, 1) != 1 || write(pong[1], &byte, 1) != 1)
				_exit(1);
		_exit(0);
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long i = 0; i < count; i++)
		if (write(ping[1], &byte, 1) != 1 || read(pong[0], &byte, 1) != 1)
			return 1;
	clock_gettime(CLOCK_MONOTONIC, &b);
	waitpid(child, NULL, 0);
	printf("%.0f\n", ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / count);
	return 0;
}
