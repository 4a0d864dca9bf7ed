// SPDX-License-Identifier: MIT
// The runnable tasks found as ps finds them: every thread's
// /proc/PID/task/TID/stat read and its state letter looked at. The
// benchmarks' yardstick for what a kernel-side source saves.
#pragma once

#include <cstddef>

namespace lottery::bench {

struct ProcScan {
	std::size_t tasks = 0;
	std::size_t runnable = 0; // state R
};

// Throws std::runtime_error when /proc cannot be opened; tasks that exit
// during the scan are skipped.
ProcScan scan_proc();

} // namespace lottery::bench
