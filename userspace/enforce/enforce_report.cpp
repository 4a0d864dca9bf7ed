// SPDX-License-Identifier: MIT
#include "enforce_report.h"

#include <algorithm>

#include "report.h"
#include "text_format.h"

namespace lottery {

using text::pad_left;
using text::pad_right;

namespace {

std::uint64_t total_cpu(const std::vector<CpuRow> &rows)
{
	std::uint64_t total = 0;
	for (const auto &row : rows)
		total += row.cpu_ns;
	return total;
}

double share(std::uint64_t part, std::uint64_t whole)
{
	return whole == 0 ? 0.0 : static_cast<double>(part) / static_cast<double>(whole);
}

} // namespace

void add_wins(std::vector<CpuRow> &rows, const WinTally &tally)
{
	for (const auto &tallied : tally.rows()) {
		auto it = std::find_if(rows.begin(), rows.end(),
				       [&](const CpuRow &row) { return row.pid == tallied.pid; });
		if (it == rows.end())
			continue;
		it->tickets = tallied.tickets;
		it->wins = tallied.wins;
		it->promised_share = tally.total_wins() == 0
					     ? 0.0
					     : tallied.expected_wins / static_cast<double>(tally.total_wins());
	}
	std::sort(rows.begin(), rows.end(), [](const CpuRow &a, const CpuRow &b) { return a.pid < b.pid; });
}

std::string format_cpu_summary_text(const std::vector<CpuRow> &rows, std::uint64_t rounds,
				    const WinTally *tally, const std::string &among)
{
	const std::uint64_t total = total_cpu(rows);
	std::string out = "summary: " + std::to_string(rounds) + " rounds, " +
			  text::fixed(static_cast<double>(total) / 1e9, 2) + " s of CPU time among " +
			  among + "\n";
	out += pad_left("PID", 7) + " " + pad_right("COMM", 16) + " " + pad_left("TICKETS", 11) +
	       " " + pad_left("WINS", 8) + " " + pad_left("CPU_S", 9) + " " + pad_left("CPU%", 6) +
	       " " + pad_left("PROMISED%", 9) + "\n";
	for (const auto &row : rows)
		out += pad_left(std::to_string(row.pid), 7) + " " +
		       pad_right(text::printable(row.comm), 16) + " " +
		       pad_left(std::to_string(row.tickets), 11) + " " +
		       pad_left(std::to_string(row.wins), 8) + " " +
		       pad_left(text::fixed(static_cast<double>(row.cpu_ns) / 1e9, 2), 9) + " " +
		       pad_left(text::fixed(100 * share(row.cpu_ns, total), 1), 6) + " " +
		       pad_left(text::fixed(100 * row.promised_share, 1), 9) + "\n";
	return tally ? out + format_lost_summary_text(*tally) : out;
}

std::string format_cpu_summary_json(const std::vector<CpuRow> &rows, std::uint64_t rounds,
				    const WinTally *tally)
{
	const std::uint64_t total = total_cpu(rows);
	std::string out = "{\"rounds\":" + std::to_string(rounds) + ",\"tasks\":[";
	for (std::size_t i = 0; i < rows.size(); ++i) {
		const auto &row = rows[i];
		out += std::string(i ? "," : "") + "{\"pid\":" + std::to_string(row.pid) +
		       ",\"comm\":" + text::json_string(row.comm) +
		       ",\"tickets\":" + std::to_string(row.tickets) +
		       ",\"wins\":" + std::to_string(row.wins) +
		       ",\"promised_share\":" + text::json_number(row.promised_share) +
		       ",\"cpu_ns\":" + std::to_string(row.cpu_ns) +
		       ",\"cpu_share\":" + text::json_number(share(row.cpu_ns, total)) + "}";
	}
	return out + "]" + (tally ? "," + format_lost_summary_json_fields(*tally) : "") + "}";
}

} // namespace lottery
