// SPDX-License-Identifier: MIT
#include "proc_pid_stat.h"

#include <fcntl.h>

#include "small_file.h"
#include "text_fields.h"

namespace lottery {

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
	auto ppid = whole_number<std::int32_t>(fields[4 - 3]);
	auto flags = whole_number<std::uint32_t>(fields[9 - 3]);
	auto nice = whole_number<std::int32_t>(fields[19 - 3]);
	auto threads = whole_number<std::int64_t>(fields[20 - 3]);
	auto start_time = whole_number<std::uint64_t>(fields[22 - 3]);
	auto policy = whole_number<std::uint32_t>(fields[41 - 3]);
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

std::optional<ProcStat> read_proc_stat_of(std::int32_t pid)
{
	auto line = read_small_file(AT_FDCWD, "/proc/" + std::to_string(pid) + "/stat");
	return line ? parse_proc_stat(*line) : std::nullopt;
}

} // namespace lottery
