// SPDX-License-Identifier: MIT
// Threads that do nothing but sleep, in a child process of their own: the
// tasks a task iterator walks, without a load on the machine. They are
// never candidates of the benchmark's own rounds (another tgid), and they
// die with the benchmark (PR_SET_PDEATHSIG) however it ends.
#pragma once

#include <cstddef>

#include <sys/types.h>

namespace lottery::bench {

class SleepingThreads {
public:
	// Returns once all `count` threads exist. Throws std::system_error.
	explicit SleepingThreads(std::size_t count);
	~SleepingThreads(); // kills and reaps the child
	SleepingThreads(const SleepingThreads &) = delete;
	SleepingThreads &operator=(const SleepingThreads &) = delete;

private:
	pid_t child_ = -1;
};

} // namespace lottery::bench
