// SPDX-License-Identifier: MIT
#include "spawn_state.h"

#include <cstdlib>
#include <unistd.h>

#include "text_fields.h"

namespace lottery {

std::string default_spawn_state_path()
{
	if (geteuid() == 0)
		return "/run/lottery-spawn.state";
	if (const char *runtime = getenv("XDG_RUNTIME_DIR"))
		return std::string(runtime) + "/lottery-spawn.state";
	return "/tmp/lottery-spawn-" + std::to_string(geteuid()) + ".state";
}

std::string format_spawn_state(const std::vector<SpawnedTask> &tasks)
{
	std::string text;
	for (const auto &task : tasks)
		text += std::to_string(task.pid) + ' ' + std::to_string(task.nice) + ' ' +
			std::to_string(task.start_time) + '\n';
	return text;
}

std::optional<std::vector<SpawnedTask>> parse_spawn_state(std::string_view text, std::string *error)
{
	std::vector<SpawnedTask> tasks;
	std::size_t number_of_line = 0;
	while (!text.empty()) {
		++number_of_line;
		auto end = text.find('\n');
		auto fields = fields_of(text.substr(0, end));
		text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
		if (fields.empty())
			continue;
		auto pid =
			fields.size() == 3 ? whole_number<std::int32_t>(fields[0]) : std::nullopt;
		auto nice =
			fields.size() == 3 ? whole_number<std::int32_t>(fields[1]) : std::nullopt;
		auto start_time =
			fields.size() == 3 ? whole_number<std::uint64_t>(fields[2]) : std::nullopt;
		if (!pid || *pid <= 0 || !nice || !start_time) {
			if (error)
				*error = "line " + std::to_string(number_of_line) +
					 ": expected 'PID NICE START_TIME'";
			return std::nullopt;
		}
		tasks.push_back(SpawnedTask{*pid, *nice, *start_time});
	}
	return tasks;
}

} // namespace lottery
