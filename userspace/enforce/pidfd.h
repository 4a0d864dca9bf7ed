// SPDX-License-Identifier: MIT
// Processes held by pidfd (pidfd_open(2)). A pidfd names one process for
// its whole life: a signal sent through it reaches that process or fails
// with ESRCH, never a later process that reused the pid. Everything lottery
// does to a managed process goes through one.
#pragma once

#include <sys/types.h>

#include "unique_fd.h"

namespace lottery {

// Throws std::system_error (ESRCH: no such process; EINVAL: pid is a
// thread, not a process).
UniqueFd open_pidfd(pid_t pid);

// The process has exited (it may still be a zombie): a pidfd turns
// readable then.
bool pidfd_exited(int pidfd);

// True when sent; false when the process has exited. Throws
// std::system_error for anything else (EPERM).
bool pidfd_signal(int pidfd, int sig);

// /proc/<pid> as a directory fd, checked to belong to the process the pidfd
// names: the pid cannot have been reused while that process still lived,
// so if it lives after the open, the directory is its own, for good.
// Empty when the process has exited.
UniqueFd open_proc_dir(pid_t pid, int pidfd);

} // namespace lottery
