// SPDX-License-Identifier: MIT
#include "proc_stat.h"

#include <charconv>

namespace lottery {

namespace {

// Splits at single spaces, as the kernel prints these files.
std::vector<std::string_view> fields_of(std::string_view text)
{
	std::vector<std::string_view> fields;
	while (!text.empty()) {
		auto space = text.find_first_of(" \t\n");
		if (space != 0)
			fields.push_back(text.substr(0, space));
		if (space == std::string_view::npos)
			break;
		text.remove_prefix(space + 1);
	}
	return fields;
}

template <typename T> std::optional<T> number(std::string_view text)
{
	T value{};
	auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
	if (text.empty() || ec != std::errc() || end != text.data() + text.size())
		return std::nullopt;
	return value;
}

} // namespace

std::optional<ProcStat> parse_proc_stat(std::string_view line)
{
	auto open = line.find('(');
	auto close = line.rfind(')');
	if (open == std::string_view::npos || close == std::string_view::npos || close < open ||
	    close + 2 > line.size())
		return std::nullopt;
	// Fields from 3 (state) on; field N is at index N - 3.
	auto fields = fields_of(line.substr(close + 2));
	if (fields.size() < 41 - 2 || fields[0].size() != 1)
		return std::nullopt;
	ProcStat stat;
	stat.comm = line.substr(open + 1, close - open - 1);
	stat.state = fields[0][0];
	auto ppid = number<std::int32_t>(fields[4 - 3]);
	auto flags = number<std::uint32_t>(fields[9 - 3]);
	auto nice = number<std::int32_t>(fields[19 - 3]);
	auto threads = number<std::int64_t>(fields[20 - 3]);
	auto start_time = number<std::uint64_t>(fields[22 - 3]);
	auto policy = number<std::uint32_t>(fields[41 - 3]);
	if (!ppid || !flags || !nice || !threads || !start_time || !policy)
		return std::nullopt;
	stat.ppid = *ppid;
	stat.flags = *flags;
	stat.nice = *nice;
	stat.threads = *threads;
	stat.start_time = *start_time;
	stat.policy = *policy;
	return stat;
}

std::optional<std::uint64_t> parse_schedstat_runtime(std::string_view line)
{
	auto fields = fields_of(line);
	if (fields.empty())
		return std::nullopt;
	return number<std::uint64_t>(fields[0]);
}

std::optional<std::uint32_t> parse_status_euid(std::string_view status)
{
	constexpr std::string_view key = "Uid:";
	std::size_t at = status.starts_with(key) ? 0 : status.find("\nUid:");
	if (at == std::string_view::npos)
		return std::nullopt;
	at += status[at] == '\n' ? 1 : 0;
	auto line = status.substr(at + key.size());
	auto fields = fields_of(line.substr(0, line.find('\n')));
	if (fields.size() < 2)
		return std::nullopt;
	return number<std::uint32_t>(fields[1]);
}

std::optional<std::vector<SpawnedTask>> parse_spawn_state(std::string_view text,
							  std::string *error)
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
		auto pid = fields.size() == 3 ? number<std::int32_t>(fields[0]) : std::nullopt;
		auto nice = fields.size() == 3 ? number<std::int32_t>(fields[1]) : std::nullopt;
		auto start_time = fields.size() == 3 ? number<std::uint64_t>(fields[2]) : std::nullopt;
		if (!pid || *pid <= 0 || !nice || !start_time) {
			if (error)
				*error = "line " + std::to_string(number_of_line) +
					 ": expected 'PID NICE START_TIME'";
			return std::nullopt;
		}
		tasks.push_back(SpawnedTask{*pid, *start_time});
	}
	return tasks;
}

} // namespace lottery
