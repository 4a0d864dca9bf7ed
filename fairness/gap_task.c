// SPDX-License-Identifier: MIT
/*
 * gap_task: a busy loop that measures its own response time, for the
 * lottery-against-stride variance experiment. It waits (asleep) until
 * START_FILE exists, then spins for SECONDS, reading the clock; whenever two
 * reads are more than 200 us apart it was off the CPU, and that gap is the
 * time it waited for its next quantum. At the end it prints the gaps' count,
 * mean and standard deviation (us) and exits.
 *
 *   usage: gap_task START_FILE SECONDS
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static double now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

int main(int argc, char **argv)
{
	const double off_cpu_us = 200;
	double seconds, start, last, sum = 0, sum_sq = 0, max = 0;
	long gaps = 0;

	if (argc != 3 || (seconds = strtod(argv[2], NULL)) <= 0) {
		fprintf(stderr, "usage: gap_task START_FILE SECONDS\n");
		return 2;
	}
	while (access(argv[1], F_OK) != 0)
		usleep(50000);
	start = last = now_us();
	for (;;) {
		double t = now_us(), gap = t - last;

		if (gap > off_cpu_us) {
			gaps++;
			sum += gap;
			sum_sq += gap * gap;
			if (gap > max)
				max = gap;
		}
		last = t;
		if (t - start >= seconds * 1e6)
			break;
	}
	double mean = gaps ? sum / gaps : 0;
	double var = gaps > 1 ? (sum_sq - gaps * mean * mean) / (gaps - 1) : 0;
	printf("gaps %ld mean_us %.0f sd_us %.0f max_us %.0f\n", gaps, mean, sqrt(var > 0 ? var : 0), max);
	return 0;
}
