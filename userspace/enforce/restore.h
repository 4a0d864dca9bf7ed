// SPDX-License-Identifier: MIT
// What enforcement changes on a managed process, and how it is put back:
// by the agent when it ends, and by the guardian when the agent cannot.
// The changes are the stop (SIGSTOP), each thread's CPU affinity and, for
// the sched_ext scheduler's managed set, each thread's policy (SCHED_EXT);
// nice values are never touched.
#pragma once

#include <sched.h>
#include <sys/types.h>
#include <unordered_map>

#include "sched_policy.h"

namespace lottery {

struct OriginalSettings {
	// The process leader's affinity: what a thread that first appeared
	// after pinning (and so inherited the pinned set) goes back to.
	cpu_set_t process_affinity;
	// Only the threads whose own affinity differed from the process's.
	std::unordered_map<pid_t, cpu_set_t> thread_affinity;

	// Threads switched to SCHED_EXT, and the policy each had before.
	std::unordered_map<pid_t, ThreadPolicy> thread_policy;

	const cpu_set_t &affinity_of(pid_t tid) const
	{
		auto it = thread_affinity.find(tid);
		return it == thread_affinity.end() ? process_affinity : it->second;
	}
	// A thread born SCHED_EXT (it inherited the policy) goes back to the
	// policy its process had; none when the process was never switched.
	const ThreadPolicy *policy_of(pid_t tid, pid_t pid) const
	{
		auto it = thread_policy.find(tid);
		if (it == thread_policy.end())
			it = thread_policy.find(pid);
		return it == thread_policy.end() ? nullptr : &it->second;
	}
};

// Continues the process (SIGCONT through its pidfd) and sets every
// thread's affinity back. False when the process has exited: then nothing
// is touched, whoever holds the pid now.
bool restore_process(pid_t pid, int pidfd, const OriginalSettings &original);

} // namespace lottery
