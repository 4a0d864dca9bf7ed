// SPDX-License-Identifier: MIT
/*
 * messaging: a many-task messaging load like `hackbench` (pipe mode,
 * processes): GROUPS groups of 2 * FANOUT processes; in each group, every
 * sender writes LOOPS 100-byte messages to every receiver of its group, each
 * receiver reading from its own pipe. Prints the wall time of the whole
 * exchange in microseconds: it is dominated by wakeups, context switches and
 * the load balancing of many short-running tasks.
 *
 *   usage: messaging GROUPS FANOUT LOOPS
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MESSAGE 100

static void send_all(int *to, int fanout, long loops)
{
	char message[MESSAGE] = {0};

	for (long i = 0; i < loops; i++)
		for (int r = 0; r < fanout; r++)
			if (write(to[r], message, MESSAGE) != MESSAGE)
				_exit(1);
	_exit(0);
}

static void receive_all(int from, long bytes)
{
	char buffer[MESSAGE * 16];

	while (bytes > 0) {
		ssize_t n = read(from, buffer, sizeof(buffer));

		if (n <= 0)
			_exit(1);
		bytes -= n;
	}
	_exit(0);
}

int main(int argc, char **argv)
{
	long groups = argc == 4 ? strtol(argv[1], NULL, 10) : 0;
	long fanout = argc == 4 ? strtol(argv[2], NULL, 10) : 0;
	long loops = argc == 4 ? strtol(argv[3], NULL, 10) : 0;
	int start[2], failed = 0, status;
	struct timespec a, b;

	if (groups <= 0 || fanout <= 0 || fanout > 64 || loops <= 0 || pipe(start)) {
		fprintf(stderr, "usage: messaging GROUPS FANOUT(1-64) LOOPS\n");
		return 2;
	}
	/* Every task waits on `start` so that the clock covers the exchange, not the forks. */
	for (long g = 0; g < groups; g++) {
		int to[64];
		char go;

		for (int r = 0; r < fanout; r++) {
			int p[2];

			if (pipe(p))
				return 1;
			if (fork() == 0) {
				close(p[1]);
				close(start[1]);
				if (read(start[0], &go, 1) != 0)
					_exit(1);
				receive_all(p[0], fanout * loops * MESSAGE);
			}
			close(p[0]);
			to[r] = p[1];
		}
		for (int s = 0; s < fanout; s++)
			if (fork() == 0) {
				close(start[1]);
				if (read(start[0], &go, 1) != 0)
					_exit(1);
				send_all(to, fanout, loops);
			}
		for (int r = 0; r < fanout; r++)
			close(to[r]);
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	close(start[1]); /* end of file: every task starts */
	while (wait(&status) > 0)
		failed |= !WIFEXITED(status) || WEXITSTATUS(status);
	clock_gettime(CLOCK_MONOTONIC, &b);
	if (failed) {
		fprintf(stderr, "messaging: a task failed\n");
		return 1;
	}
	printf("%.0f\n", ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / 1e3);
	return 0;
}
