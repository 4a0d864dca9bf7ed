// SPDX-License-Identifier: MIT
// A thread's scheduling policy, switched to SCHED_EXT for the sched_ext
// scheduler's managed set (SCX_OPS_SWITCH_PARTIAL) and put back afterwards:
// by the agent when it ends, by the guardian when the agent cannot.
#pragma once

#include <cstdint>
#include <optional>
#include <sys/types.h>

namespace lottery {

inline constexpr int sched_ext_policy = 7; // SCHED_EXT, Linux 6.12

struct ThreadPolicy {
	std::int32_t policy = 0;	// SCHED_OTHER, SCHED_BATCH or SCHED_IDLE
	std::int32_t nice = 0;
	std::uint64_t flags = 0;	// SCHED_FLAG_RESET_ON_FORK survives the switch
};

// The thread's policy now; nullopt when it has gone.
std::optional<ThreadPolicy> read_sched_policy(pid_t tid);

// Whether a policy is one the fair class runs, which SCHED_EXT may replace.
bool is_fair_policy(int policy);

// Sets the thread's policy, keeping its nice value. False (errno set) on failure.
bool write_sched_policy(pid_t tid, const ThreadPolicy &policy);

// Puts a thread that is SCHED_EXT back to `original`; a thread on any
// other policy was changed by someone else since, and is left alone.
bool restore_sched_policy(pid_t tid, const ThreadPolicy &original);

} // namespace lottery
