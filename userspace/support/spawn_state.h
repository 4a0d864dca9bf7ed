// SPDX-License-Identifier: MIT
// lottery-spawn's state file, the one contract between lottery-spawn (which
// writes it) and `lottery --enforce --spawned` (which reads it): one
// "PID NICE START_TIME" line per task started, START_TIME being
// /proc/PID/stat field 22, which tells a reused pid apart.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lottery {

struct SpawnedTask {
	std::int32_t pid = 0;
	std::int32_t nice = 0;
	std::uint64_t start_time = 0;
};

// Where the file lives when --state/--spawned names none: /run for root,
// else $XDG_RUNTIME_DIR, else /tmp with the uid in the name.
std::string default_spawn_state_path();

// The lines for tasks, each ending in '\n' (appended to the file).
std::string format_spawn_state(const std::vector<SpawnedTask> &tasks);

// The tasks in text; blank lines are skipped. Nothing, with error set to a
// one-line reason naming the line, when a line is not "PID NICE START_TIME"
// with PID > 0.
std::optional<std::vector<SpawnedTask>> parse_spawn_state(std::string_view text,
							  std::string *error);

} // namespace lottery
