// SPDX-License-Identifier: MIT
// The guardian: a small process forked before any managed task is changed,
// which puts every managed task back (continued, with its original
// affinity and policy) if the agent ends without doing so itself -- whatever ends it,
// SIGKILL included. It lives in its own session, ignores the signals that
// end the agent, and watches the agent through a pidfd. The agent tells it
// of each change before making it, over a socket that also carries the
// managed processes' pidfds, so the guardian never looks a process up by
// its pid and cannot touch one that reused it.
#pragma once

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

struct GuardianMessage; // guardian.cpp: one change, as the socket carries it

class Guardian {
public:
	// Forks the guardian. Throws std::system_error.
	Guardian();
	// Without finish(): closes the socket, so that the guardian restores
	// everything itself, and reaps it.
	~Guardian();
	Guardian(const Guardian &) = delete;
	Guardian &operator=(const Guardian &) = delete;

	// Throw GuardianLost.
	void manage(pid_t pid, int pidfd, const cpu_set_t &process_affinity);
	void thread_affinity(pid_t pid, pid_t tid, const cpu_set_t &affinity);
	void thread_policy(pid_t pid, pid_t tid, const ThreadPolicy &original);
	void drop(pid_t pid);

	// Everything is restored: the guardian exits without touching
	// anything, and is reaped.
	void finish();

	bool lost() const;
	pid_t pid() const { return pid_; }

private:
	void send(const GuardianMessage &message, int fd_to_pass = -1);
	void reap();

	pid_t pid_ = -1;
	UniqueFd socket_;
	UniqueFd pidfd_;
};

} // namespace lottery
