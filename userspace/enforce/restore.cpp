// SPDX-License-Identifier: MIT
#include "restore.h"

#include <csignal>
#include <system_error>

#include "pidfd.h"
#include "proc_reader.h"

namespace lottery {

bool restore_process(pid_t pid, int pidfd, const OriginalSettings &original)
{
	// Continue first: a held task must run again within the second, even
	// if what follows fails.
	try {
		if (!pidfd_signal(pidfd, SIGCONT))
			return false;
	} catch (const std::system_error &) {
		return false;
	}
	UniqueFd dir = open_proc_dir(pid, pidfd);
	if (!dir)
		return false;
	// Threads are listed through the process's own /proc directory, so
	// each tid is one of its threads; the affinity call follows at once.
	for (pid_t tid : list_threads(dir.get())) {
		sched_setaffinity(tid, sizeof(cpu_set_t), &original.affinity_of(tid));
		if (const ThreadPolicy *policy = original.policy_of(tid, pid))
			restore_sched_policy(tid, *policy);
	}
	return true;
}

} // namespace lottery
