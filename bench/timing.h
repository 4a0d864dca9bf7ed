// SPDX-License-Identifier: MIT
// What the round benchmark reports of a series of timings: the median, which
// a shared noisy machine moves least, and the 99th percentile, which says how
// bad an unlucky round gets.
#pragma once

#include <algorithm>
#include <cstdint>
#include <ctime>
#include <vector>

namespace lottery::bench {

inline std::uint64_t now_ns()
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return static_cast<std::uint64_t>(now.tv_sec) * 1000000000ULL + now.tv_nsec;
}

// CPU time of the calling thread, kernel time included: on a loaded machine
// it is what a round costs, where the wall time also counts the waits for a CPU.
inline std::uint64_t thread_cpu_ns()
{
	struct timespec now;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
	return static_cast<std::uint64_t>(now.tv_sec) * 1000000000ULL + now.tv_nsec;
}

struct TimingSummary {
	std::uint64_t median_ns = 0;
	std::uint64_t p99_ns = 0;
	std::size_t samples = 0;
};

// Nearest-rank percentiles; the samples are sorted in place.
inline TimingSummary summarize(std::vector<std::uint64_t> &samples)
{
	TimingSummary summary;

	summary.samples = samples.size();
	if (samples.empty())
		return summary;
	std::sort(samples.begin(), samples.end());
	auto rank = [&](double fraction) {
		auto index = static_cast<std::size_t>(fraction * (samples.size() - 1) + 0.5);
		return samples[std::min(index, samples.size() - 1)];
	};
	summary.median_ns = rank(0.5);
	summary.p99_ns = rank(0.99);
	return summary;
}

} // namespace lottery::bench
