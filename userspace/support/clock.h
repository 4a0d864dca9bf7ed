// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <ctime>

namespace lottery {

// CLOCK_MONOTONIC in nanoseconds.
inline std::uint64_t monotonic_ns()
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return static_cast<std::uint64_t>(now.tv_sec) * 1000000000ULL + now.tv_nsec;
}

} // namespace lottery
