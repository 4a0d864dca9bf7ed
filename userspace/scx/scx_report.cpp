// SPDX-License-Identifier: MIT
#include "scx_report.h"

#include <algorithm>

#include "text_format.h"

namespace lottery {

namespace {

double share(std::uint64_t part, std::uint64_t whole)
{
	return whole == 0 ? 0.0 : static_cast<double>(part) / static_cast<double>(whole);
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

PeriodReport period_between(const ScxSample &before, const ScxSample &now)
{
	PeriodReport report;
	KernelDraws draws;
	draws.seconds = static_cast<double>(now.time_ns - before.time_ns) / 1e9;
	draws.draws = now.counters.draws() - before.counters.draws();
	draws.queued = now.counters.queued;
	draws.retries = now.counters.retries - before.counters.retries;
	draws.overflow = now.counters.overflow - before.counters.overflow;
	draws.dispatch_ns = ns_per_call(before.counters.dispatch_ns, now.counters.dispatch_ns,
					before.counters.dispatch_calls, now.counters.dispatch_calls);
	draws.enqueue_ns = ns_per_call(before.counters.enqueue_ns, now.counters.enqueue_ns,
				       before.counters.enqueue_calls, now.counters.enqueue_calls);
	report.draws = draws;
	std::unordered_map<std::int32_t, const ScxProcess *> earlier;
	for (const auto &p : before.processes)
		earlier[p.tgid] = &p;
	for (const auto &p : now.processes) {
		TaskCounters row{p.tgid, p.comm, p.tickets, p.wins, p.runtime_ns};
		if (auto it = earlier.find(p.tgid); it != earlier.end()) {
			row.wins -= std::min(row.wins, it->second->wins);
			row.cpu_ns -= std::min(row.cpu_ns, it->second->runtime_ns);
		}
		report.counters.push_back(std::move(row));
	}
	return report;
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
	std::string line = exit.ejected() ? "the kernel ejected the scheduler: " : "the scheduler stopped: ";
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
