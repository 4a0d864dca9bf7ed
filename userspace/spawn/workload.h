// SPDX-License-Identifier: MIT
// A workload of busy-loop tasks at chosen nice values, remembered in a state
// file so that a later `lottery-spawn --stop` stops exactly those tasks and
// never a process that reused one of their pids.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "spawn_state.h"

namespace lottery {

class WorkloadError : public std::runtime_error {
	using std::runtime_error::runtime_error;
};

// A task as the state file remembers it (support/spawn_state.h).
using WorkloadTask = SpawnedTask;

// count nice values spread evenly over [min_nice, max_nice], ends included.
std::vector<int> spread_nice_values(int count, int min_nice, int max_nice);

// Starts one task per nice value running `program [seconds]`, each in its own
// session. All or nothing: if one cannot start, those already started are
// stopped and WorkloadError says why.
std::vector<WorkloadTask> start_workload(const std::string &program, const std::vector<int> &nices,
					 double seconds);

// Stops the tasks that are still the ones we started (same start time);
// returns how many were stopped.
int stop_workload(const std::vector<WorkloadTask> &tasks);

// The state file (support/spawn_state.h owns its format and default path).
// A state path that is not a regular file (a FIFO would block): the
// user's mistake, refused before anything starts.
class StatePathError : public WorkloadError {
	using WorkloadError::WorkloadError;
};
// Throws StatePathError when the path exists and is not a regular file.
void check_state_path(const std::string &path);
void append_state(const std::string &path, const std::vector<WorkloadTask> &tasks);
std::vector<WorkloadTask> take_state(const std::string &path); // reads and removes it

// /proc/PID/stat start time, or 0 if the process is gone or a zombie.
std::uint64_t process_start_time(int pid);

} // namespace lottery
