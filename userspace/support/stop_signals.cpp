// SPDX-License-Identifier: MIT
#include "stop_signals.h"

#include <cerrno>
#include <ctime>
#include <initializer_list>

namespace lottery {

std::uint64_t monotonic_ns()
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return static_cast<std::uint64_t>(now.tv_sec) * 1000000000ULL + now.tv_nsec;
}

StopSignals::StopSignals()
{
	sigemptyset(&set_);
	for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT})
		sigaddset(&set_, sig);
	sigprocmask(SIG_BLOCK, &set_, &saved_);
}

StopSignals::~StopSignals()
{
	sigprocmask(SIG_SETMASK, &saved_, nullptr);
}

int StopSignals::wait_until(std::uint64_t deadline_ns)
{
	for (;;) {
		std::uint64_t now = monotonic_ns();
		std::uint64_t left = deadline_ns > now ? deadline_ns - now : 0;
		struct timespec timeout = {static_cast<time_t>(left / 1000000000ULL),
					   static_cast<long>(left % 1000000000ULL)};
		int sig = sigtimedwait(&set_, nullptr, &timeout);
		if (sig > 0)
			return sig;
		if (errno == EAGAIN)
			return 0;
		// EINTR: some other signal (e.g. SIGWINCH) woke us; sleep on.
	}
}

} // namespace lottery
