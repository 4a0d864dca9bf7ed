// SPDX-License-Identifier: MIT
// Child processes in a known scheduling state, for the tests to look for in
// a snapshot: a busy loop at a nice value and policy, or a blocked sleeper.
// Each one is killed and reaped when its object goes, whatever the test did;
// and killed by the kernel if the test binary itself dies (PR_SET_PDEATHSIG).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include <sys/types.h>

#include "snapshot.h"

namespace lottery::testing {

class ChildProcess {
public:
	ChildProcess() = default;
	explicit ChildProcess(pid_t pid) : pid_(pid) {}
	ChildProcess(ChildProcess &&other) noexcept;
	ChildProcess &operator=(ChildProcess &&other) noexcept;
	ChildProcess(const ChildProcess &) = delete;
	ChildProcess &operator=(const ChildProcess &) = delete;
	~ChildProcess();

	pid_t pid() const { return pid_; }
	void signal(int signo) const;
	// SIGKILL, then reap: the pid is gone from the system afterwards.
	void kill_and_reap();

private:
	pid_t pid_ = -1;
};

// cpu_task (userspace/spawn/cpu_task.c), exec'd at this nice value and policy (SCHED_OTHER,
// SCHED_BATCH or SCHED_IDLE), as this user if one is given.
ChildProcess spawn_cpu_task(int nice = 0, int policy = 0, std::optional<uid_t> uid = std::nullopt);
// A child blocked in read() on a pipe nobody writes to.
ChildProcess spawn_sleeper();
// A child that forks children which exit at once, as fast as it can, for
// this long: fork/exit churn.
ChildProcess spawn_churn(std::chrono::milliseconds duration);
// A child whose second thread spins a while, then execs cpu_task: the
// process goes on under the leader's pid, the thread's own tid is gone.
ChildProcess spawn_exec_from_thread(pid_t &thread_tid);

// Where a program of this project is: $<env_var> if set, else beside this
// test binary (the build puts all programs in one bin directory, and so
// does the VM image), else the path CMake compiled in.
std::string program_path(const char *env_var, const char *name, const char *built_path);

// The state letter of /proc/<pid>/stat ('R', 'S', 'T', 'Z', ...), or 0.
char proc_state(pid_t pid);
// PF_* flags from /proc/<pid>/stat, or nullopt when the pid is gone.
std::optional<unsigned long> proc_flags(pid_t pid);

// The task with this pid in the snapshot (a copy: snapshots are often temporaries).
std::optional<RunnableTask> find_task(const Snapshot &snapshot, pid_t pid);

// Polls until done() or timeout; returns done()'s last answer.
bool wait_until(const std::function<bool()> &done,
		std::chrono::milliseconds timeout = std::chrono::seconds(3),
		std::chrono::milliseconds period = std::chrono::milliseconds(10));

} // namespace lottery::testing
