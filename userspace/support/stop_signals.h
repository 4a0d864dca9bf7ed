// SPDX-License-Identifier: MIT
// The signals that end a run (SIGINT, SIGTERM, SIGQUIT, and SIGHUP unless
// it rereads the tickets file) are caught by a handler that only notes
// them, so that whatever must happen at the end (the summary, restoring
// managed processes) runs from ordinary code, at the next wait_until:
// lottery waits at least once per interval. Should it not get there --
// blocked writing to a full pipe, say -- the grace timer the handler armed
// lets the signal take its default action after the grace period, and the
// guardian restores what the agent held: no stop signal is ever ignored.
#pragma once

#include <csignal>
#include <cstdint>

#include "clock.h"

namespace lottery {

// How long a stop signal may wait for lottery to act on it: one interval,
// and never less than min_stop_grace_ms (an orderly end under load).
inline constexpr std::uint64_t min_stop_grace_ms = 500;
std::uint64_t stop_grace_ms(std::uint64_t interval_ms);

class StopSignals {
public:
	// One at a time (the handlers are process-wide).
	explicit StopSignals(std::uint64_t grace_ms, bool hup_rereads = false);
	~StopSignals();
	StopSignals(const StopSignals &) = delete;
	StopSignals &operator=(const StopSignals &) = delete;

	// Sleeps until the deadline (monotonic_ns); returns the stop signal
	// that came (again at every call once one came), SIGHUP when asked to
	// reread, or 0.
	int wait_until(std::uint64_t deadline_ns);

private:
	struct sigaction saved_[4];
	struct sigaction saved_alarm_;
};

} // namespace lottery
