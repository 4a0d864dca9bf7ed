// SPDX-License-Identifier: MIT
// The guardian: a small process forked before any managed task is changed,
// which puts every managed task back (continued, with its original
// settings: affinity, and policy for the kernel scheduler's set) if the
// agent ends without doing so itself -- whatever ends it,
// SIGKILL included -- or stalls: the agent sends a heartbeat at least once
// a quantum, and when none came for the stall bound (a stopped agent, one
// blocked on a full pipe or a hung read), the guardian restores every
// process it holds and tells the agent, which ends its run as soon as it
// can run again. The guardian lives in its own session, ignores the
// signals that end the agent, and watches the agent through a pidfd. The
// agent tells it of each change before making it, over a socket that also
// carries the managed processes' pidfds (and their agent locks, which the
// guardian holds as long as it guards them), so the guardian never looks a
// process up by its pid and cannot touch one that reused it.
#pragma once

#include <cstdint>
#include <sched.h>
#include <sys/types.h>

#include "enforce_errors.h"
#include "pidfd.h"
#include "sched_policy.h"

namespace lottery {

// The guardian is gone, or the socket to it failed: the agent must restore
// what it changed and stop, since nothing would undo it after a crash.
class GuardianLost : public EnforcementFailed {
	using EnforcementFailed::EnforcementFailed;
};

// The agent stalled past the bound and the guardian restored every managed
// process: the run is over (whatever it held since is restored again when
// it ends).
class GuardianReleased : public GuardianLost {
	using GuardianLost::GuardianLost;
};

// The longest the guardian waits for a heartbeat: three quanta, and never
// less than a second (a busy machine may keep a healthy agent off the CPU
// for a while).
std::uint64_t stall_bound_ns(std::uint64_t quantum_ns);
// For a mechanism whose decisions do not wait on the agent (the kernel
// scheduler): the guardian acts only when the agent ends.
inline constexpr std::uint64_t no_stall_bound = 0;

struct GuardianMessage; // guardian.cpp: one change, as the socket carries it

class Guardian {
public:
	// Forks the guardian, which restores everything when no message came
	// for stall_bound_ns (never with no_stall_bound). Throws
	// std::system_error.
	explicit Guardian(std::uint64_t stall_bound_ns);
	// Without finish(): closes the socket, so that the guardian restores
	// everything itself, and reaps it.
	~Guardian();
	Guardian(const Guardian &) = delete;
	Guardian &operator=(const Guardian &) = delete;

	// Throw GuardianLost (GuardianReleased after a stall).
	// lock_fd (-1: none) is held by the guardian while it guards pid.
	void manage(pid_t pid, int pidfd, const cpu_set_t &process_affinity, int lock_fd = -1);
	void thread_affinity(pid_t pid, pid_t tid, const cpu_set_t &affinity);
	void thread_policy(pid_t pid, pid_t tid, const ThreadPolicy &original);
	void drop(pid_t pid);
	// At least once a quantum; also checks whether the guardian released
	// everything while the agent stalled.
	void heartbeat();

	// Everything is restored: the guardian exits without touching
	// anything, and is reaped.
	void finish();

	bool lost() const;
	pid_t pid() const { return pid_; }

private:
	void send(const GuardianMessage &message, int fd_to_pass = -1, int second_fd = -1);
	void check_released();
	void reap();

	pid_t pid_ = -1;
	std::uint64_t stall_bound_ns_ = 0;
	std::uint64_t last_sent_ns_ = 0;
	UniqueFd socket_;
	UniqueFd pidfd_;
};

} // namespace lottery
