// SPDX-License-Identifier: MIT
// What the agent reads from /proc about a managed process besides
// /proc/PID/stat (support/proc_pid_stat.h), parsed from the text without I/O
// so the parsers can be fuzzed: /proc/PID/schedstat and /proc/PID/status.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace lottery {

// /proc/PID/schedstat's first field: nanoseconds spent on a CPU.
std::optional<std::uint64_t> parse_schedstat_runtime(std::string_view line);

// /proc/PID/status's effective uid (the second number of "Uid:"), the
// user `ps` shows.
std::optional<std::uint32_t> parse_status_euid(std::string_view status);

} // namespace lottery
