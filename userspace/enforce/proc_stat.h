// SPDX-License-Identifier: MIT
// What the agent reads from /proc about a managed process, parsed from the
// text without I/O (so the parsers can be fuzzed): /proc/PID/stat,
// /proc/PID/schedstat, /proc/PID/status, and lottery-spawn's state file.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lottery {

// include/linux/sched.h: PF_KTHREAD in /proc/PID/stat's flags.
inline constexpr std::uint32_t pf_kthread = 0x00200000;

struct ProcStat {
	std::string comm;
	char state = 0; // 'R', 'S', 'D', 'T', 't', 'Z', ...
	std::int32_t ppid = 0;
	std::uint32_t flags = 0;
	std::int32_t nice = 0;
	std::int64_t threads = 0;
	std::uint64_t start_time = 0; // clock ticks after boot: tells a reused pid apart
	std::uint32_t policy = 0;
};

// One /proc/PID/stat line. The comm is found between the first '(' and the
// last ')', since a comm may itself hold spaces and parentheses.
std::optional<ProcStat> parse_proc_stat(std::string_view line);

// /proc/PID/schedstat's first field: nanoseconds spent on a CPU.
std::optional<std::uint64_t> parse_schedstat_runtime(std::string_view line);

// /proc/PID/status's effective uid (the second number of "Uid:"), the
// user `ps` shows.
std::optional<std::uint32_t> parse_status_euid(std::string_view status);

// lottery-spawn's state file: one "pid nice start_time" line per task it
// started (see userspace/spawn/workload.h).
struct SpawnedTask {
	std::int32_t pid = 0;
	std::uint64_t start_time = 0;
};
std::optional<std::vector<SpawnedTask>> parse_spawn_state(std::string_view text,
							  std::string *error);

} // namespace lottery
