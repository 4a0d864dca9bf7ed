// SPDX-License-Identifier: MIT
// What a run prints when the kernel draws (the sched_ext scheduler): a line
// of statistics every period (draws per second, tasks queued, the top
// processes' wins and CPU time against the share their tickets promise)
// and, for the summary, each process's wins against the wins its tickets
// promised over the run.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "enforce_report.h"
#include "mechanism.h"

namespace lottery {

// The `top` processes by CPU time in the period, each with its CPU share
// and promised share among the processes that ran in it.
std::string format_kernel_period_text(const KernelDraws &draws,
				      const std::vector<TaskCounters> &counters, std::size_t top);
std::string format_kernel_period_json(const KernelDraws &draws,
				      const std::vector<TaskCounters> &counters, std::size_t top);
// The line a run prints: "lottery: " and the text, or the JSON object.
std::string format_kernel_period_line(const KernelDraws &draws,
				      const std::vector<TaskCounters> &counters, std::size_t top,
				      bool json);

// WinTally's counterpart for the kernel's draws: each period's wins are
// promised to the processes that ran in it in proportion to their tickets
// then, so that a tickets file reread mid-run is judged by what it asked
// when.
class KernelTally {
public:
	void record(const std::vector<TaskCounters> &period);
	void record_draws(std::uint64_t draws) { draws_ += draws; }
	std::uint64_t draws() const { return draws_; }
	// Each row's tickets (as last drawn) and promised share; its wins
	// and CPU time are the kernel's. Sorts by pid.
	void fill(std::vector<CpuRow> &rows) const;

private:
	struct Row {
		std::uint64_t tickets = 0;
		double expected_wins = 0;
	};
	std::unordered_map<std::int32_t, Row> rows_;
	double expected_wins_ = 0;
	std::uint64_t draws_ = 0;
};

} // namespace lottery
