// SPDX-License-Identifier: MIT
// What an enforced run prints at the end: beside the wins, the CPU time
// each managed process received, against the share its tickets promised.
// That is the figure enforcement is judged by (the paper's observed ratio).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tally.h"

namespace lottery {

struct CpuRow {
	std::int32_t pid = 0;
	std::string comm;
	std::uint64_t tickets = 0;	// as last drawn (in base tickets), before compensation
	std::uint64_t wins = 0;
	double promised_share = 0;	// of the CPU time, from its tickets in each round
	std::uint64_t cpu_ns = 0;	// received while managed
};

// Fills in each row's tickets, wins and promised share from the tally;
// sorts by pid.
void add_wins(std::vector<CpuRow> &rows, const WinTally &tally);

// PID COMM TICKETS WINS CPU_S CPU% PROMISED%, CPU% out of the rows' CPU
// time: "summary: N rounds, S s of CPU time among <among>".
// With a tally (a run that drew), the lost line of format_lost_summary_text
// follows the table.
std::string format_cpu_summary_text(const std::vector<CpuRow> &rows, std::uint64_t rounds,
				    const WinTally *tally = nullptr,
				    const std::string &among = "the managed processes");

// {"rounds":N,"tasks":[{"pid":..,"comm":"..","tickets":..,"wins":..,
//  "promised_share":..,"cpu_ns":..,"cpu_share":..}],
//  "rounds_with_lost_tasks":..,"most_lost_tasks":..,"misses_since_load":..}
// (the lost fields as format_summary_json has them, with a tally).
std::string format_cpu_summary_json(const std::vector<CpuRow> &rows, std::uint64_t rounds,
				    const WinTally *tally = nullptr);

} // namespace lottery
