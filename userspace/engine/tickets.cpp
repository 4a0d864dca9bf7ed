// SPDX-License-Identifier: MIT
#include "tickets.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>

#include "text_format.h"

namespace lottery {

namespace {

// kernel/sched/core.c, sched_prio_to_weight: each step of nice is a factor
// of about 1.25, so that one nice level moves a task's CPU share by ~10%.
// clang-format off
constexpr std::array<std::uint64_t, 40> prio_to_weight = {
	/* -20 */ 88761, 71755, 56483, 46273, 36291,
	/* -15 */ 29154, 23254, 18705, 14949, 11916,
	/* -10 */ 9548,  7620,  6100,  4904,  3906,
	/*  -5 */ 3121,  2501,  1991,  1586,  1277,
	/*   0 */ 1024,  820,   655,   526,   423,
	/*   5 */ 335,   272,   215,   172,   137,
	/*  10 */ 110,   87,    70,    56,    45,
	/*  15 */ 36,    29,    23,    18,    15,
};
// clang-format on

// Parses all of text as an unsigned decimal integer: no sign, no spaces.
std::optional<std::uint64_t> parse_decimal(std::string_view text)
{
	if (text.empty() || text.front() < '0' || text.front() > '9')
		return std::nullopt;
	std::uint64_t value = 0;
	auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
	if (ec != std::errc() || end != text.data() + text.size())
		return std::nullopt;
	return value;
}

void refuse(std::string *error, std::string why)
{
	if (error)
		*error = std::move(why);
}

} // namespace

std::uint64_t nice_to_weight(int nice)
{
	nice = std::clamp(nice, -20, 19);
	return prio_to_weight[static_cast<std::size_t>(nice + 20)];
}

std::optional<std::uint64_t> TicketOverrides::find(const RunnableTask &task) const
{
	if (auto it = by_pid.find(task.pid); it != by_pid.end())
		return it->second;
	if (auto it = by_pid.find(task.tgid); it != by_pid.end())
		return it->second;
	return std::nullopt;
}

std::uint64_t default_tickets(const RunnableTask &task)
{
	switch (task.policy) {
	case SchedPolicy::Idle:
		return idle_weight;
	case SchedPolicy::Normal:
	case SchedPolicy::Batch:
	case SchedPolicy::Ext:
		return nice_to_weight(task.nice);
	case SchedPolicy::Fifo:
	case SchedPolicy::RoundRobin:
	case SchedPolicy::Deadline:
		break;
	}
	return nice_to_weight(0);
}

std::optional<std::pair<std::int32_t, std::uint64_t>> parse_ticket_override(std::string_view text,
									    std::string *error)
{
	// Appended, not "'" + ...: GCC 12 -O3 warns falsely on that (PR 105651).
	std::string quoted = "'";
	quoted += text::printable(text);
	quoted += "'";
	auto equals = text.find('=');
	if (equals == std::string_view::npos) {
		refuse(error, "expected PID=TICKETS, got " + quoted);
		return std::nullopt;
	}
	auto pid_text = text.substr(0, equals);
	auto tickets_text = text.substr(equals + 1);

	auto pid = parse_decimal(pid_text);
	if (!pid || *pid == 0 || *pid > std::uint64_t{std::numeric_limits<std::int32_t>::max()}) {
		refuse(error, "in " + quoted + ": PID must be a positive integer");
		return std::nullopt;
	}
	auto tickets = parse_decimal(tickets_text);
	if (!tickets || *tickets == 0 || *tickets > max_override_tickets) {
		refuse(error, "in " + quoted + ": TICKETS must be an integer from 1 to " +
				      std::to_string(max_override_tickets));
		return std::nullopt;
	}
	return std::pair{static_cast<std::int32_t>(*pid), *tickets};
}

} // namespace lottery
