// SPDX-License-Identifier: MIT
// Signals that end a run are blocked and collected with sigtimedwait, so a
// wait ends the moment one arrives and whatever must happen at the end
// (the summary, restoring managed processes) runs from ordinary code, not
// from a handler.
#pragma once

#include <csignal>
#include <cstdint>

namespace lottery {

// CLOCK_MONOTONIC in nanoseconds.
std::uint64_t monotonic_ns();

class StopSignals {
public:
	// Blocks SIGINT, SIGTERM, SIGHUP and SIGQUIT until destroyed.
	StopSignals();
	~StopSignals();
	StopSignals(const StopSignals &) = delete;
	StopSignals &operator=(const StopSignals &) = delete;

	// Sleeps until the deadline (monotonic_ns); returns the signal that
	// came first, or 0.
	int wait_until(std::uint64_t deadline_ns);

private:
	sigset_t set_;
	sigset_t saved_;
};

} // namespace lottery
