// SPDX-License-Identifier: MIT
// What the agent reads from /proc and from lottery-spawn's state file. A
// comm is chosen by the task itself, so /proc/PID/stat is outside data too.
// The first byte picks the parser, the rest is the file's text.
#include <cstdint>
#include <string>

#include "fuzz_checks.h"
#include "proc_pid_stat.h"
#include "proc_stat.h"
#include "spawn_state.h"

using namespace lottery;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
	if (size == 0)
		return 0;
	std::string_view text(reinterpret_cast<const char *>(data) + 1, size - 1);
	switch (data[0] % 4) {
	case 0:
		if (auto stat = parse_proc_stat(text)) {
			// The comm is what lies between the first '(' and the last ')'.
			fuzz::check(stat->comm.size() + 2 <= text.size(), "a comm longer than the line", text);
			fuzz::check(stat->state != ' ', "a blank state", text);
		}
		break;
	case 1:
		parse_schedstat_runtime(text);
		break;
	case 2:
		parse_status_euid(text);
		break;
	case 3: {
		std::string error;
		auto tasks = parse_spawn_state(text, &error);
		if (!tasks)
			fuzz::check_one_line(error);
		else
			for (const SpawnedTask &task : *tasks)
				fuzz::check(task.pid > 0, "accepted a pid below 1", text);
		break;
	}
	}
	return 0;
}
