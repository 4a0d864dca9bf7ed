// SPDX-License-Identifier: MIT
// One agent per process. Before an agent touches a process it binds an
// abstract unix socket named after the process's pid and start time
// (@lottery/agent/PID/START): bind() is atomic, so of two agents started at
// the same moment on overlapping sets, only one gets each name; the kernel
// drops the name when the last fd on it closes, so nothing is left behind
// whatever ends the agent; it works for unprivileged agents too, and a
// second agent learns who holds a name by connecting to it (SO_PEERCRED).
// The guardian holds the socket too, while it guards the process: a new
// agent cannot take a process that the old one's guardian is restoring.
// Lock files under /run (flock) would need root, stay behind after a
// SIGKILL and race between unlink and lock; a pidfd cannot be named.
// The names live in the network namespace: agents in different ones do
// not see each other.
#pragma once

#include <cstdint>
#include <string>
#include <sys/types.h>

#include "unique_fd.h"

namespace lottery {

// The lock for process pid (started at start_time, in clock ticks since
// boot), or an empty fd and, in holder, who holds it: "lottery agent pid
// 123 (lottery --enforce --pid 42 50)". Throws std::system_error when the
// socket cannot be made at all.
UniqueFd take_agent_lock(pid_t pid, std::uint64_t start_time, std::string *holder);

} // namespace lottery
