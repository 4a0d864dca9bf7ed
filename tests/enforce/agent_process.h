// SPDX-License-Identifier: MIT
// A `lottery` agent running in the background of a test, so that the test
// can watch the managed tasks and signal the agent mid-run. Its output goes
// to files the test reads; it is killed and reaped when the object goes.
#pragma once

#include <chrono>
#include <optional>
#include <sched.h>
#include <string>
#include <sys/types.h>
#include <vector>

namespace lottery::testing {

class AgentProcess {
public:
	// Runs the lottery binary with args; its stdout goes to stdout_fd
	// when one is given (then out() is empty), else to a file.
	explicit AgentProcess(const std::vector<std::string> &args, int stdout_fd = -1);
	~AgentProcess();
	AgentProcess(const AgentProcess &) = delete;
	AgentProcess &operator=(const AgentProcess &) = delete;

	pid_t pid() const { return pid_; }
	void signal(int signo) const;
	// Its exit code (128 + signal if killed), or nullopt if it still runs
	// after timeout.
	std::optional<int> wait(std::chrono::milliseconds timeout);
	std::string out() const;
	std::string err() const;
	// The guardian's pid, from the line the agent prints when it starts
	// (0 until then).
	pid_t guardian_pid() const;

private:
	pid_t pid_ = -1;
	std::optional<int> exit_code_;
	std::string out_path_;
	std::string err_path_;
};

// The lottery binary under test: $LOTTERY_BIN, beside the test, or as built.
const std::string &lottery_path();

// Nanoseconds the task has run (/proc/PID/schedstat), 0 if it is gone.
std::uint64_t cpu_ns(pid_t pid);
cpu_set_t affinity_of(pid_t pid);
cpu_set_t cpus(std::initializer_list<int> list);
// A pid no process has: a child's, after it is reaped.
pid_t unused_pid();

} // namespace lottery::testing
