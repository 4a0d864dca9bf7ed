// SPDX-License-Identifier: MIT
// What enforcement changes on a managed process, and how it is put back:
// by the agent when it ends, and by the guardian when the agent cannot.
// The only changes are the stop (SIGSTOP) and each thread's CPU affinity;
// nice values and scheduling policies are never touched, so they need no
// restoring.
#pragma once

#include <sched.h>
#include <sys/types.h>
#include <unordered_map>

namespace lottery {

struct OriginalSettings {
	// The process leader's affinity: what a thread that first appeared
	// after pinning (and so inherited the pinned set) goes back to.
	cpu_set_t process_affinity;
	// Only the threads whose own affinity differed from the process's.
	std::unordered_map<pid_t, cpu_set_t> thread_affinity;

	const cpu_set_t &affinity_of(pid_t tid) const
	{
		auto it = thread_affinity.find(tid);
		return it == thread_affinity.end() ? process_affinity : it->second;
	}
};

// Continues the process (SIGCONT through its pidfd) and sets every
// thread's affinity back. False when the process has exited: then nothing
// is touched, whoever holds the pid now.
bool restore_process(pid_t pid, int pidfd, const OriginalSettings &original);

} // namespace lottery
