// SPDX-License-Identifier: MIT
#include "proc_stat.h"

#include "text_fields.h"

namespace lottery {

std::optional<std::uint64_t> parse_schedstat_runtime(std::string_view line)
{
	auto fields = fields_of(line);
	if (fields.empty())
		return std::nullopt;
	return whole_number<std::uint64_t>(fields[0]);
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
	return whole_number<std::uint32_t>(fields[1]);
}

} // namespace lottery
