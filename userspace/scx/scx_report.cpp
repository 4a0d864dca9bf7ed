// SPDX-License-Identifier: MIT
#include "scx_report.h"

#include <algorithm>

#include "text_format.h"

namespace lottery {

namespace {

struct IntervalRow {
	const ScxProcess *process;
	std::uint64_t wins = 0;
	std::uint64_t runtime_ns = 0;
};

struct Interval {
	double seconds = 0;
	std::uint64_t draws = 0;
	std::uint64_t runtime_ns = 0;
	std::uint64_t tickets = 0;
	std::vector<IntervalRow> rows; // the processes that ran or won, most CPU first
};

Interval interval_between(const ScxSample &before, const ScxSample &now, std::size_t top)
{
	Interval in;
	in.seconds = static_cast<double>(now.time_ns - before.time_ns) / 1e9;
	in.draws = now.counters.draws() - before.counters.draws();
	std::unordered_map<std::int32_t, const ScxProcess *> earlier;
	for (const auto &p : before.processes)
		earlier[p.tgid] = &p;
	for (const auto &p : now.processes) {
		IntervalRow row{&p, p.wins, p.runtime_ns};
		if (auto it = earlier.find(p.tgid); it != earlier.end()) {
			row.wins -= std::min(row.wins, it->second->wins);
			row.runtime_ns -= std::min(row.runtime_ns, it->second->runtime_ns);
		}
		if (row.wins == 0 && row.runtime_ns == 0)
			continue;
		in.runtime_ns += row.runtime_ns;
		in.tickets += p.tickets;
		in.rows.push_back(row);
	}
	std::sort(in.rows.begin(), in.rows.end(), [](const IntervalRow &a, const IntervalRow &b) {
		return a.runtime_ns != b.runtime_ns ? a.runtime_ns > b.runtime_ns
						    : a.process->tgid < b.process->tgid;
	});
	if (in.rows.size() > top)
		in.rows.resize(top);
	return in;
}

double share(std::uint64_t part, std::uint64_t whole)
{
	return whole == 0 ? 0.0 : static_cast<double>(part) / static_cast<double>(whole);
}

double per_second(std::uint64_t count, double seconds)
{
	return seconds <= 0 ? 0.0 : static_cast<double>(count) / seconds;
}

// Mean ns per call of a callback over the interval; 0 without BPF statistics.
double ns_per_call(std::uint64_t ns_before, std::uint64_t ns_now, std::uint64_t calls_before,
		   std::uint64_t calls_now)
{
	if (calls_now <= calls_before || ns_now < ns_before)
		return 0.0;
	return static_cast<double>(ns_now - ns_before) / static_cast<double>(calls_now - calls_before);
}

} // namespace

std::string format_scx_interval_text(const ScxSample &before, const ScxSample &now, std::size_t top)
{
	const Interval in = interval_between(before, now, top);
	std::string line = "draws/s " + text::fixed(per_second(in.draws, in.seconds), 0) +
			   ", queued " + std::to_string(now.counters.queued);
	const double dispatch = ns_per_call(before.counters.dispatch_ns, now.counters.dispatch_ns,
					    before.counters.dispatch_calls, now.counters.dispatch_calls);
	if (dispatch > 0)
		line += ", dispatch " + text::fixed(dispatch, 0) + " ns";
	for (const auto &row : in.rows)
		line += "; " + std::to_string(row.process->tgid) + " " +
			text::printable(row.process->comm) + " tickets " +
			std::to_string(row.process->tickets) + " wins " + std::to_string(row.wins) +
			" cpu " + text::fixed(100 * share(row.runtime_ns, in.runtime_ns), 1) +
			"% promised " + text::fixed(100 * share(row.process->tickets, in.tickets), 1) + "%";
	return line;
}

std::string format_scx_interval_json(const ScxSample &before, const ScxSample &now, std::size_t top)
{
	const Interval in = interval_between(before, now, top);
	std::string out = "{\"seconds\":" + text::json_number(in.seconds) +
			  ",\"draws\":" + std::to_string(in.draws) +
			  ",\"draws_per_s\":" + text::json_number(per_second(in.draws, in.seconds)) +
			  ",\"queued\":" + std::to_string(now.counters.queued) +
			  ",\"retries\":" + std::to_string(now.counters.retries - before.counters.retries) +
			  ",\"overflow\":" + std::to_string(now.counters.overflow - before.counters.overflow) +
			  ",\"dispatch_ns\":" +
			  text::json_number(ns_per_call(before.counters.dispatch_ns, now.counters.dispatch_ns,
						       before.counters.dispatch_calls, now.counters.dispatch_calls)) +
			  ",\"enqueue_ns\":" +
			  text::json_number(ns_per_call(before.counters.enqueue_ns, now.counters.enqueue_ns,
						       before.counters.enqueue_calls, now.counters.enqueue_calls)) +
			  ",\"tasks\":[";
	for (std::size_t i = 0; i < in.rows.size(); ++i) {
		const auto &row = in.rows[i];
		out += std::string(i ? "," : "") + "{\"pid\":" + std::to_string(row.process->tgid) +
		       ",\"comm\":" + text::json_string(row.process->comm) +
		       ",\"tickets\":" + std::to_string(row.process->tickets) +
		       ",\"wins\":" + std::to_string(row.wins) +
		       ",\"cpu_ns\":" + std::to_string(row.runtime_ns) +
		       ",\"cpu_share\":" + text::json_number(share(row.runtime_ns, in.runtime_ns)) +
		       ",\"promised_share\":" +
		       text::json_number(share(row.process->tickets, in.tickets)) + "}";
	}
	return out + "]}";
}

std::vector<CpuRow> scx_summary_rows(const std::vector<ScxProcess> &processes,
				     const std::vector<std::int32_t> &only)
{
	std::vector<CpuRow> rows;
	std::uint64_t tickets = 0;
	for (const auto &p : processes) {
		if (!only.empty() && std::find(only.begin(), only.end(), p.tgid) == only.end())
			continue;
		if (p.runtime_ns == 0 && p.wins == 0)
			continue;
		rows.push_back(CpuRow{p.tgid, p.comm, p.tickets, p.wins, 0, p.runtime_ns});
		tickets += p.tickets;
	}
	for (auto &row : rows)
		row.promised_share = share(row.tickets, tickets);
	std::sort(rows.begin(), rows.end(), [](const CpuRow &a, const CpuRow &b) { return a.pid < b.pid; });
	return rows;
}

std::string format_scx_exit_text(const ScxExit &exit)
{
	std::string line = exit.ejected() ? "lottery: the kernel ejected the scheduler: "
					  : "lottery: the scheduler stopped: ";
	line += exit.kind_name();
	if (!exit.reason.empty() && exit.reason != exit.kind_name())
		line += " (" + text::printable(exit.reason) + ")";
	if (!exit.message.empty())
		line += ": " + text::printable(exit.message);
	return line;
}

std::string format_scx_exit_json(const ScxExit &exit)
{
	return "{\"exit\":{\"kind\":" + std::to_string(exit.kind) +
	       ",\"name\":" + text::json_string(exit.kind_name()) +
	       ",\"ejected\":" + (exit.ejected() ? "true" : "false") +
	       ",\"exit_code\":" + std::to_string(exit.exit_code) +
	       ",\"reason\":" + text::json_string(exit.reason) +
	       ",\"message\":" + text::json_string(exit.message) + "}}";
}

} // namespace lottery
