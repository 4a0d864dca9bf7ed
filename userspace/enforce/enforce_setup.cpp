// SPDX-License-Identifier: MIT
#include "enforce_setup.h"

#include <algorithm>
#include <fcntl.h>

#include "option_values.h"
#include "proc_reader.h"
#include "workload.h"

namespace lottery {

namespace {

bool has(const std::vector<unsigned> &cpus, unsigned cpu)
{
	return std::find(cpus.begin(), cpus.end(), cpu) != cpus.end();
}

void add(std::vector<ManagedEntry> &entries, ManagedProcess process)
{
	const pid_t pid = process.pid();
	if (std::none_of(entries.begin(), entries.end(),
			 [&](const ManagedEntry &entry) { return entry.process.pid() == pid; }))
		entries.push_back(ManagedEntry{std::move(process)});
}

} // namespace

std::optional<std::vector<unsigned>> choose_cpus(const std::vector<unsigned> &requested,
						 std::string *error)
{
	const std::vector<unsigned> online = online_cpus();
	if (requested.empty()) {
		cpu_set_t allowed;
		if (sched_getaffinity(0, sizeof(allowed), &allowed) == 0)
			for (unsigned cpu : online)
				if (CPU_ISSET(cpu, &allowed))
					return std::vector<unsigned>{cpu};
		*error = "no CPU to run on: /sys/devices/system/cpu/online is unreadable";
		return std::nullopt;
	}
	for (unsigned cpu : requested) {
		if (!has(online, cpu)) {
			*error = "CPU " + std::to_string(cpu) + " does not exist or is offline (online: " +
				 format_cpu_list(online) + ")";
			return std::nullopt;
		}
	}
	return requested;
}

cpu_set_t to_cpu_set(const std::vector<unsigned> &cpus)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	for (unsigned cpu : cpus)
		CPU_SET(cpu, &set);
	return set;
}

std::vector<ManagedEntry> take_on(const std::vector<std::int32_t> &pids,
				  const std::optional<std::string> &spawned_state)
{
	std::vector<ManagedEntry> entries;
	for (std::int32_t pid : pids)
		add(entries, ManagedProcess::open(pid));
	if (!spawned_state)
		return entries;

	const std::string path = spawned_state->empty() ? default_state_path() : *spawned_state;
	auto text = read_small_file(AT_FDCWD, path, 1 << 20);
	if (!text)
		throw ManageError("--spawned: cannot read " + path +
				  " (start a workload with lottery-spawn first)");
	std::string error;
	auto tasks = parse_spawn_state(*text, &error);
	if (!tasks)
		throw ManageError("--spawned: " + path + ": " + error);
	std::size_t taken = 0;
	for (const auto &task : *tasks) {
		try {
			add(entries, ManagedProcess::open(task.pid, task.start_time));
			++taken;
		} catch (const ManageError &) {
			// Gone or reused since it was spawned: not ours to manage.
		}
	}
	if (taken == 0)
		throw ManageError("--spawned: none of the " + std::to_string(tasks->size()) +
				  " tasks in " + path + " is still running");
	return entries;
}

} // namespace lottery
