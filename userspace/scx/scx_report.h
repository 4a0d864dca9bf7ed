// SPDX-License-Identifier: MIT
// The kernel scheduler's counters as a run reports them: samples of the
// loader's maps, the period between two (which kernel_period.h prints), the
// whole machine's summary rows and the kernel's exit info.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "enforce_report.h"
#include "mechanism.h"
#include "scx_scheduler.h"

namespace lottery {

// One process's totals, summed over its threads, since the scheduler loaded.
struct ScxProcess {
	std::int32_t tgid = 0;
	std::string comm;
	std::uint64_t tickets = 0; // its threads' tickets, summed
	std::uint64_t wins = 0;
	std::uint64_t runtime_ns = 0;
};

// Sums per-thread statistics by process; `comm_of` names a tgid.
template <typename CommOf>
std::vector<ScxProcess> by_process(const std::vector<ScxTaskStats> &tasks, CommOf comm_of)
{
	std::unordered_map<std::int32_t, ScxProcess> processes;
	for (const auto &task : tasks) {
		ScxProcess &p = processes[task.tgid];
		p.tgid = task.tgid;
		p.tickets += task.tickets;
		p.wins += task.wins;
		p.runtime_ns += task.runtime_ns;
	}
	std::vector<ScxProcess> out;
	for (auto &[tgid, p] : processes) {
		p.comm = comm_of(tgid);
		out.push_back(std::move(p));
	}
	return out;
}

struct ScxSample {
	std::uint64_t time_ns = 0;
	ScxCounters counters;
	std::vector<ScxProcess> processes;
};

// What the kernel's draws did between two samples: the draws, and each
// process's wins and CPU time in the interval (its tickets as of now).
PeriodReport period_between(const ScxSample &before, const ScxSample &now);

// The summary's rows: every process that ran (restricted to `only`, when
// not empty), promised share from its tickets.
std::vector<CpuRow> scx_summary_rows(const std::vector<ScxProcess> &processes,
				     const std::vector<std::int32_t> &only);

// "the kernel ejected the scheduler: runnable task stall (...)"
std::string format_scx_exit_text(const ScxExit &exit);
std::string format_scx_exit_json(const ScxExit &exit);

} // namespace lottery
