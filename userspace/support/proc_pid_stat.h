// SPDX-License-Identifier: MIT
// /proc/PID/stat, parsed from its text without I/O (so it can be fuzzed):
// the one parser of that file, for the enforcer, the bpf backend and
// lottery-spawn. A comm is chosen by the task itself, so the line is
// outside data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lottery {

// include/linux/sched.h: PF_KTHREAD in /proc/PID/stat's flags.
inline constexpr std::uint32_t pf_kthread = 0x00200000;

struct ProcStat {
	std::string comm;
	char state = 0; // 'R', 'S', 'D', 'T', 't', 'Z', 'X', ...
	std::int32_t ppid = 0;
	std::uint32_t flags = 0;
	std::int32_t nice = 0;
	std::int64_t threads = 0;
	std::uint64_t start_time = 0; // clock ticks after boot: tells a reused pid apart
	std::uint32_t policy = 0;     // the kernel's scheduling class (SCHED_*)

	// A zombie ('Z') or dead ('X') task has finished running.
	bool finished() const { return state == 'Z' || state == 'X'; }
};

// One /proc/PID/stat line. The comm is found between the first '(' and the
// last ')', since a comm may itself hold spaces and parentheses.
std::optional<ProcStat> parse_proc_stat(std::string_view line);

// /proc/PID/stat by path (a thread id works there too); nothing when the
// task is gone or the line does not parse. The enforcer reads through a
// pidfd-checked /proc directory instead once it manages a process.
std::optional<ProcStat> read_proc_stat_of(std::int32_t pid);

} // namespace lottery
