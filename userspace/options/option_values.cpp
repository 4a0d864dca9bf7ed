// SPDX-License-Identifier: MIT
#include "option_values.h"

#include <algorithm>
#include <charconv>
#include <limits>

#include "text_format.h"

namespace lottery {

namespace {

template <typename T> std::optional<T> refuse(std::string *error, std::string why)
{
	if (error)
		*error = std::move(why);
	return std::nullopt;
}

bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '.';
}

// Splits on `separator`; an empty text gives one empty part.
std::vector<std::string_view> split(std::string_view text, char separator)
{
	std::vector<std::string_view> parts;
	for (;;) {
		auto at = text.find(separator);
		parts.push_back(text.substr(0, at));
		if (at == std::string_view::npos)
			return parts;
		text.remove_prefix(at + 1);
	}
}

} // namespace

std::optional<std::uint64_t> parse_bounded(std::string_view text, std::uint64_t max)
{
	if (text.empty() || text.front() < '0' || text.front() > '9')
		return std::nullopt;
	std::uint64_t value = 0;
	auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
	if (ec != std::errc() || end != text.data() + text.size() || value > max)
		return std::nullopt;
	return value;
}

std::optional<std::vector<unsigned>> parse_cpu_list(std::string_view text, std::string *error)
{
	const std::string quoted = "'" + text::printable(text) + "'";
	std::vector<unsigned> cpus;
	for (auto part : split(text, ',')) {
		auto dash = part.find('-');
		auto first = parse_bounded(part.substr(0, dash), max_cpu_number);
		auto last = dash == std::string_view::npos
				    ? first
				    : parse_bounded(part.substr(dash + 1), max_cpu_number);
		if (!first || !last || *last < *first)
			return refuse<std::vector<unsigned>>(
				error, "bad CPU list " + quoted + " (expected e.g. 0, 0-3 or 0,2-3, CPUs 0 to " +
					       std::to_string(max_cpu_number) + ")");
		for (auto cpu = *first; cpu <= *last; ++cpu)
			cpus.push_back(static_cast<unsigned>(cpu));
	}
	std::sort(cpus.begin(), cpus.end());
	cpus.erase(std::unique(cpus.begin(), cpus.end()), cpus.end());
	return cpus;
}

std::string format_cpu_list(const std::vector<unsigned> &cpus)
{
	std::string text;
	for (std::size_t i = 0; i < cpus.size();) {
		std::size_t j = i;
		while (j + 1 < cpus.size() && cpus[j + 1] == cpus[j] + 1)
			++j;
		if (!text.empty())
			text += ',';
		text += std::to_string(cpus[i]);
		if (j > i)
			text += '-' + std::to_string(cpus[j]);
		i = j + 1;
	}
	return text;
}

std::optional<TaskGroup> parse_group(std::string_view text, std::uint64_t unit, std::string *error)
{
	const std::string quoted = "'" + text::printable(text) + "'";
	auto equals = text.find('=');
	if (equals == std::string_view::npos)
		return refuse<TaskGroup>(error, "expected NAME=PID,PID,... or NAME:SHARE=PID,..., got " + quoted);
	std::string_view head = text.substr(0, equals);
	TaskGroup group;
	group.funding = unit;
	if (auto colon = head.find(':'); colon != std::string_view::npos) {
		auto share = parse_bounded(head.substr(colon + 1), max_group_share);
		if (!share || *share == 0)
			return refuse<TaskGroup>(error, "in " + quoted + ": SHARE must be an integer from 1 to " +
								std::to_string(max_group_share));
		group.funding = *share * unit;
		head = head.substr(0, colon);
	}
	if (head.empty() || head.size() > 32 || !std::all_of(head.begin(), head.end(), name_char))
		return refuse<TaskGroup>(error, "in " + quoted +
							": the group name must be 1 to 32 letters, digits, '-', '_' or '.'");
	group.name = head;
	for (auto part : split(text.substr(equals + 1), ',')) {
		auto pid = parse_bounded(part, std::numeric_limits<std::int32_t>::max());
		if (!pid || *pid == 0)
			return refuse<TaskGroup>(error, "in " + quoted + ": '" + text::printable(part) +
								"' is not a pid");
		group.pids.push_back(static_cast<std::int32_t>(*pid));
	}
	return group;
}

} // namespace lottery
