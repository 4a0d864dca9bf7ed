// SPDX-License-Identifier: MIT
// Reads of /proc and /sys for the agent: through a /proc/<pid> directory fd
// from open_proc_dir, so that a read never reaches a process that reused
// the pid (reads through it fail once the process is gone).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

#include "proc_stat.h"

namespace lottery {

// The whole of a small file under dir (AT_FDCWD for an absolute path), at
// most max_bytes; nullopt when it cannot be read.
std::optional<std::string> read_small_file(int dir, const std::string &path,
					   std::size_t max_bytes = 64 * 1024);

std::optional<ProcStat> read_proc_stat(int proc_dir);
// /proc/<pid>/stat by path: only for checks before anything is changed.
std::optional<ProcStat> read_proc_stat_of(pid_t pid);
std::optional<std::uint32_t> read_euid(int proc_dir);

// The thread ids of the process, from its task/ directory.
std::vector<pid_t> list_threads(int proc_dir);

struct ThreadStates {
	std::uint64_t runtime_ns = 0; // summed over the threads
	bool any_running = false;     // some thread in state R
	bool any_stopped = false;     // some thread in state T
};
ThreadStates read_thread_states(int proc_dir);

// /sys/devices/system/cpu/online.
std::vector<unsigned> online_cpus();

} // namespace lottery
