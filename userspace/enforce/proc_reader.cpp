// SPDX-License-Identifier: MIT
#include "proc_reader.h"

#include <cerrno>
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include "option_values.h"
#include "pidfd.h"

namespace lottery {

std::optional<ProcStat> read_proc_stat(int proc_dir)
{
	auto line = read_small_file(proc_dir, "stat");
	return line ? parse_proc_stat(*line) : std::nullopt;
}

std::optional<std::uint32_t> read_euid(int proc_dir)
{
	auto status = read_small_file(proc_dir, "status");
	return status ? parse_status_euid(*status) : std::nullopt;
}

std::vector<pid_t> list_threads(int proc_dir)
{
	std::vector<pid_t> tids;
	int fd = openat(proc_dir, "task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return tids;
	DIR *dir = fdopendir(fd);
	if (!dir) {
		close(fd);
		return tids;
	}
	while (const struct dirent *entry = readdir(dir)) {
		char *end = nullptr;
		long tid = strtol(entry->d_name, &end, 10);
		if (tid > 0 && *end == '\0')
			tids.push_back(static_cast<pid_t>(tid));
	}
	closedir(dir);
	return tids;
}

ThreadStates read_thread_states(int proc_dir)
{
	ThreadStates states;
	for (pid_t tid : list_threads(proc_dir)) {
		const std::string task = "task/" + std::to_string(tid);
		if (auto line = read_small_file(proc_dir, task + "/schedstat"))
			states.runtime_ns += parse_schedstat_runtime(*line).value_or(0);
		if (auto line = read_small_file(proc_dir, task + "/stat")) {
			if (auto stat = parse_proc_stat(*line)) {
				states.any_running |= stat->state == 'R';
				states.any_stopped |= stat->state == 'T';
			}
		}
	}
	return states;
}

std::vector<unsigned> online_cpus()
{
	auto text = read_small_file(AT_FDCWD, "/sys/devices/system/cpu/online");
	if (!text)
		return {};
	while (!text->empty() && (text->back() == '\n' || text->back() == ' '))
		text->pop_back();
	return parse_cpu_list(*text, nullptr).value_or(std::vector<unsigned>{});
}

} // namespace lottery
