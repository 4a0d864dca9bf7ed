// SPDX-License-Identifier: MIT
#include "tally.h"

#include <algorithm>

namespace lottery {

void WinTally::record(const RoundResult &result, const CandidateSet &set)
{
	++rounds_;
	rounds_with_lost_tasks_ += result.lost_tasks > 0;
	most_lost_tasks_ = std::max(most_lost_tasks_, result.lost_tasks);
	misses_since_load_ = result.misses_since_load;
	const double winners = static_cast<double>(result.winners.size());
	for (const auto &candidate : set.candidates) {
		TallyRow &row = rows_[candidate.task.pid];
		row.pid = candidate.task.pid;
		row.comm = candidate.task.comm;
		row.nice = candidate.task.nice;
		row.tickets = candidate.tickets;
		if (set.total_tickets > 0)
			row.expected_wins += winners * static_cast<double>(candidate.tickets) /
					     static_cast<double>(set.total_tickets);
	}
	for (const auto &winner : result.winners) {
		TallyRow &row = rows_[winner.task.pid];
		if (row.pid == 0) { // a winner the set did not list: still count it
			row.pid = winner.task.pid;
			row.comm = winner.task.comm;
			row.nice = winner.task.nice;
			row.tickets = winner.tickets;
		}
		++row.wins;
		++total_wins_;
	}
}

std::vector<TallyRow> WinTally::rows() const
{
	std::vector<TallyRow> out;
	out.reserve(rows_.size());
	for (const auto &[pid, row] : rows_)
		out.push_back(row);
	std::sort(out.begin(), out.end(), [](const TallyRow &a, const TallyRow &b) {
		return a.wins != b.wins ? a.wins > b.wins : a.pid < b.pid;
	});
	return out;
}

} // namespace lottery
