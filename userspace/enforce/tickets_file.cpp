// SPDX-License-Identifier: MIT
#include "tickets_file.h"

#include <limits>
#include <vector>

#include "option_values.h"
#include "text_format.h"

namespace lottery {

namespace {

bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

// The blank-separated words of one line, comment removed.
std::vector<std::string_view> words_of(std::string_view line)
{
	line = line.substr(0, line.find('#'));
	std::vector<std::string_view> words;
	std::size_t i = 0;
	while (i < line.size()) {
		while (i < line.size() && blank(line[i]))
			++i;
		std::size_t start = i;
		while (i < line.size() && !blank(line[i]))
			++i;
		if (i > start)
			words.push_back(line.substr(start, i - start));
	}
	return words;
}

} // namespace

std::optional<TicketOverrides> parse_tickets_file(std::string_view text, std::string *error)
{
	TicketOverrides overrides;
	std::size_t number = 0;
	while (!text.empty()) {
		++number;
		auto end = text.find('\n');
		std::string_view line = text.substr(0, end);
		text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);

		auto words = words_of(line);
		if (words.empty())
			continue;
		std::string why;
		std::optional<std::pair<std::int32_t, std::uint64_t>> entry;
		auto pid = parse_bounded(words[0], std::numeric_limits<std::int32_t>::max());
		auto tickets = words.size() == 2 ? parse_bounded(words[1], max_override_tickets)
						 : std::nullopt;
		if (words.size() != 2)
			why = "expected PID TICKETS, got " + std::to_string(words.size()) + " words";
		else if (!pid || *pid == 0)
			why = "'" + text::printable(words[0]) + "' is not a pid";
		else if (!tickets || *tickets == 0)
			why = "TICKETS must be an integer from 1 to " + std::to_string(max_override_tickets) +
			      ", not '" + text::printable(words[1]) + "'";
		else
			entry = std::pair{static_cast<std::int32_t>(*pid), *tickets};
		if (entry && overrides.by_pid.count(entry->first)) {
			why = "pid " + std::to_string(entry->first) + " is named twice";
			entry.reset();
		}
		if (!entry) {
			if (error)
				*error = "line " + std::to_string(number) + ": " + why;
			return std::nullopt;
		}
		overrides.by_pid[entry->first] = entry->second;
	}
	return overrides;
}

} // namespace lottery
