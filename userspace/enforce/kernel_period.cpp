// SPDX-License-Identifier: MIT
#include "kernel_period.h"

#include <algorithm>

#include "text_format.h"

namespace lottery {

namespace {

struct Period {
	std::uint64_t cpu_ns = 0;
	std::uint64_t tickets = 0;
	std::vector<TaskCounters> rows; // the processes that ran or won, most CPU first
};

Period period_of(const std::vector<TaskCounters> &counters, std::size_t top)
{
	Period period;
	for (const auto &row : counters) {
		if (row.wins == 0 && row.cpu_ns == 0)
			continue;
		period.cpu_ns += row.cpu_ns;
		period.tickets += row.tickets;
		period.rows.push_back(row);
	}
	std::sort(period.rows.begin(), period.rows.end(), [](const TaskCounters &a, const TaskCounters &b) {
		return a.cpu_ns != b.cpu_ns ? a.cpu_ns > b.cpu_ns : a.pid < b.pid;
	});
	if (period.rows.size() > top)
		period.rows.resize(top);
	return period;
}

double share(std::uint64_t part, std::uint64_t whole)
{
	return whole == 0 ? 0.0 : static_cast<double>(part) / static_cast<double>(whole);
}

double per_second(std::uint64_t count, double seconds)
{
	return seconds <= 0 ? 0.0 : static_cast<double>(count) / seconds;
}

} // namespace

std::string format_kernel_period_text(const KernelDraws &draws,
				      const std::vector<TaskCounters> &counters, std::size_t top)
{
	const Period period = period_of(counters, top);
	std::string line = "draws/s " + text::fixed(per_second(draws.draws, draws.seconds), 0) +
			   ", queued " + std::to_string(draws.queued);
	if (draws.dispatch_ns > 0)
		line += ", dispatch " + text::fixed(draws.dispatch_ns, 0) + " ns";
	for (const auto &row : period.rows)
		line += "; " + std::to_string(row.pid) + " " + text::printable(row.comm) + " tickets " +
			std::to_string(row.tickets) + " wins " + std::to_string(row.wins) + " cpu " +
			text::fixed(100 * share(row.cpu_ns, period.cpu_ns), 1) + "% promised " +
			text::fixed(100 * share(row.tickets, period.tickets), 1) + "%";
	return line;
}

std::string format_kernel_period_json(const KernelDraws &draws,
				      const std::vector<TaskCounters> &counters, std::size_t top)
{
	const Period period = period_of(counters, top);
	std::string out = "{\"seconds\":" + text::json_number(draws.seconds) +
			  ",\"draws\":" + std::to_string(draws.draws) +
			  ",\"draws_per_s\":" + text::json_number(per_second(draws.draws, draws.seconds)) +
			  ",\"queued\":" + std::to_string(draws.queued) +
			  ",\"retries\":" + std::to_string(draws.retries) +
			  ",\"overflow\":" + std::to_string(draws.overflow) +
			  ",\"dispatch_ns\":" + text::json_number(draws.dispatch_ns) +
			  ",\"enqueue_ns\":" + text::json_number(draws.enqueue_ns) + ",\"tasks\":[";
	for (std::size_t i = 0; i < period.rows.size(); ++i) {
		const auto &row = period.rows[i];
		out += std::string(i ? "," : "") + "{\"pid\":" + std::to_string(row.pid) +
		       ",\"comm\":" + text::json_string(row.comm) +
		       ",\"tickets\":" + std::to_string(row.tickets) +
		       ",\"wins\":" + std::to_string(row.wins) +
		       ",\"cpu_ns\":" + std::to_string(row.cpu_ns) +
		       ",\"cpu_share\":" + text::json_number(share(row.cpu_ns, period.cpu_ns)) +
		       ",\"promised_share\":" + text::json_number(share(row.tickets, period.tickets)) + "}";
	}
	return out + "]}";
}

std::string format_kernel_period_line(const KernelDraws &draws,
				      const std::vector<TaskCounters> &counters, std::size_t top,
				      bool json)
{
	return json ? format_kernel_period_json(draws, counters, top)
		    : "lottery: " + format_kernel_period_text(draws, counters, top);
}

void KernelTally::record(const std::vector<TaskCounters> &period)
{
	std::uint64_t wins = 0, tickets = 0;
	for (const auto &row : period) {
		if (row.wins == 0 && row.cpu_ns == 0)
			continue;
		wins += row.wins;
		tickets += row.tickets;
	}
	for (const auto &row : period) {
		Row &tallied = rows_[row.pid];
		if (row.tickets)
			tallied.tickets = row.tickets;
		if ((row.wins || row.cpu_ns) && tickets > 0) {
			const double expected = static_cast<double>(wins) * static_cast<double>(row.tickets) /
						static_cast<double>(tickets);
			tallied.expected_wins += expected;
			expected_wins_ += expected;
		}
	}
}

void KernelTally::fill(std::vector<CpuRow> &rows) const
{
	for (auto &row : rows) {
		auto it = rows_.find(row.pid);
		if (it == rows_.end())
			continue;
		row.tickets = it->second.tickets;
		row.promised_share = expected_wins_ > 0 ? it->second.expected_wins / expected_wins_ : 0.0;
	}
	std::sort(rows.begin(), rows.end(), [](const CpuRow &a, const CpuRow &b) { return a.pid < b.pid; });
}

} // namespace lottery
