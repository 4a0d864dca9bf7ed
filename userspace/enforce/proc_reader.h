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

#include "proc_pid_stat.h"
#include "proc_stat.h"
#include "small_file.h"

namespace lottery {

std::optional<ProcStat> read_proc_stat(int proc_dir);
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
