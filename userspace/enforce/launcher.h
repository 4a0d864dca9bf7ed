// SPDX-License-Identifier: MIT
// `lottery run -- COMMAND...`: commands the agent starts and manages from
// their first instruction. Each child waits, before it execs, until the
// agent has taken hold of it (pidfd, guardian, CPU pinning), so there is
// no moment at which it runs unmanaged.
#pragma once

#include <stdexcept>
#include <string>
#include <sys/types.h>
#include <vector>

#include "pidfd.h"

namespace lottery {

class LaunchError : public std::runtime_error {
	using std::runtime_error::runtime_error;
};

class PendingCommand {
public:
	// Forks a child that waits to exec argv (searched in PATH). Throws
	// LaunchError.
	explicit PendingCommand(const std::vector<std::string> &argv);
	// A child never started is killed and reaped.
	~PendingCommand();
	PendingCommand(PendingCommand &&other) noexcept;
	PendingCommand(const PendingCommand &) = delete;
	PendingCommand &operator=(const PendingCommand &) = delete;
	PendingCommand &operator=(PendingCommand &&) = delete;

	pid_t pid() const { return pid_; }

	// Lets it exec. Throws LaunchError ("cannot run 'foo': No such file
	// or directory") if the exec failed; the child is reaped then.
	void start();

private:
	pid_t pid_ = -1;
	std::string program_;
	UniqueFd go_;	  // the child execs once a byte arrives
	UniqueFd report_; // closed by a successful exec, else carries errno
};

// Whether name runs something: a path (with a '/') that is executable, or
// a program found in PATH, as execvp would.
bool find_program(const std::string &name);

// A wait status as a shell reports it: the exit code, or 128 + signal.
int exit_code_of(int wait_status);

} // namespace lottery
