// SPDX-License-Identifier: MIT
#include "enforce_setup.h"

#include <algorithm>
#include <cerrno>
#include <fcntl.h>

#include "option_values.h"
#include "proc_reader.h"
#include "tickets_file.h"
#include "user_path.h"
#include "spawn_state.h"

namespace lottery {

namespace {

bool has(const std::vector<unsigned> &cpus, unsigned cpu)
{
	return std::find(cpus.begin(), cpus.end(), cpu) != cpus.end();
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

std::optional<TicketOverrides> load_tickets_file(const std::string &path, std::string *error)
{
	std::string text;
	try {
		text = read_user_file(path, max_tickets_file_bytes, "--tickets-file");
	} catch (const UserPathError &e) {
		*error = e.what();
		return std::nullopt;
	}
	auto overrides = parse_tickets_file(text, error);
	if (!overrides)
		*error = "--tickets-file " + path + ": " + *error;
	return overrides;
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
	struct Wanted {
		pid_t pid;
		std::uint64_t start_time; // 0: named by the user, any start time
	};
	std::vector<Wanted> wanted;
	for (std::int32_t pid : pids)
		wanted.push_back({pid, 0});
	std::string path;
	std::size_t spawned = 0;
	if (spawned_state) {
		path = spawned_state->empty() ? default_spawn_state_path() : *spawned_state;
		std::string text;
		try {
			text = read_user_file(path, 1 << 20, "--spawned");
		} catch (const UserPathError &e) {
			if (e.errno_value() == ENOENT)
				throw ManageError("--spawned: cannot read " + path +
						  " (start a workload with lottery-spawn first)");
			throw ManageError(e.what());
		}
		std::string error;
		auto tasks = parse_spawn_state(text, &error);
		if (!tasks)
			throw ManageError("--spawned: " + path + ": " + error);
		for (const auto &task : *tasks)
			wanted.push_back({task.pid, task.start_time});
		spawned = tasks->size();
	}
	// Agent locks are taken in pid order: of two agents on overlapping
	// sets, one at least gets every process it asked for (they never both
	// give up).
	std::stable_sort(wanted.begin(), wanted.end(),
			 [](const Wanted &a, const Wanted &b) { return a.pid < b.pid; });

	std::vector<ManagedEntry> entries;
	std::size_t taken = 0;
	for (const Wanted &want : wanted) {
		if (!entries.empty() && entries.back().process.pid() == want.pid) {
			taken += want.start_time != 0; // named twice
			continue;
		}
		if (!want.start_time) {
			entries.push_back(ManagedEntry{ManagedProcess::open(want.pid)});
			continue;
		}
		try {
			entries.push_back(ManagedEntry{ManagedProcess::open(want.pid, want.start_time)});
			++taken;
		} catch (const ManagedElsewhere &) {
			throw;
		} catch (const ManageError &) {
			// Gone or reused since it was spawned: not ours to manage.
		}
	}
	if (spawned_state && taken == 0)
		throw ManageError("--spawned: none of the " + std::to_string(spawned) + " tasks in " +
				  path + " is still running");
	return entries;
}

} // namespace lottery
