// SPDX-License-Identifier: MIT
// One process of the managed set, as the agent sees it: held by a pidfd
// and a /proc directory fd (see pidfd.h), with the affinity of each of its
// threads from before it was pinned. All of its threads are scheduled as
// one: SIGSTOP and SIGCONT act on the whole thread group.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_set>

#include "guardian.h"
#include "pidfd.h"
#include "restore.h"
#include "snapshot.h"

namespace lottery {

// A pid that cannot be managed, and why, in one line: "pid 2 is a kernel
// thread (kthreadd)". Nothing has been changed when it is thrown.
class ManageError : public std::runtime_error {
	using std::runtime_error::runtime_error;
};

// The process is managed by another agent (see agent_lock.h).
class ManagedElsewhere : public ManageError {
	using ManageError::ManageError;
};

class ManagedProcess {
public:
	// Takes hold of process pid, and of its agent lock. With
	// expected_start_time (from lottery-spawn's state file), a process
	// that started at another time is someone else's. Throws ManageError
	// (ManagedElsewhere when another agent holds it).
	static ManagedProcess open(pid_t pid, std::uint64_t expected_start_time = 0);

	pid_t pid() const { return pid_; }
	int pidfd() const { return pidfd_.get(); }
	const std::string &comm() const { return task_.comm; }

	// Its pid, uid, nice, policy and comm as of the last refresh().
	const RunnableTask &task() const { return task_; }
	// Rereads stat and status; false once the process has exited.
	bool refresh();
	bool exited() const { return pidfd_exited(pidfd_.get()); }

	// Pins every thread to cpus, telling the guardian each thread's
	// original affinity first. Threads that appeared since the last call
	// are pinned too. Throws ManageError if the kernel refuses.
	void pin(const cpu_set_t &cpus, Guardian &guardian);

	// Switches every thread on a fair policy to SCHED_EXT, so that the
	// sched_ext scheduler (loaded with SCX_OPS_SWITCH_PARTIAL) runs it,
	// telling the guardian each thread's policy first. Threads created
	// later inherit SCHED_EXT. Returns how many threads it switched.
	// Throws ManageError if the kernel refuses.
	std::size_t switch_to_sched_ext(Guardian &guardian);

	// SIGSTOP and SIGCONT through the pidfd; false when it has exited.
	bool hold();
	bool release();
	bool held() const { return held_; }

	// Runtime summed over its threads, and whether one of them is
	// running or waiting for a CPU (state R) or stopped (T).
	struct Activity {
		std::uint64_t runtime_ns = 0;
		bool runnable = false;
		bool stopped = false;
	};
	Activity activity() const;

	// Continued, every thread's affinity and policy back; false if it has exited.
	bool restore();

private:
	ManagedProcess() = default;

	pid_t pid_ = 0;
	UniqueFd pidfd_;
	UniqueFd proc_dir_;
	UniqueFd agent_lock_;
	RunnableTask task_;
	OriginalSettings original_{};
	bool held_ = false;
	bool announced_ = false; // the guardian knows it
	std::unordered_set<pid_t> pinned_; // its threads as of the last pin()
};

} // namespace lottery
