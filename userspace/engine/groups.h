// SPDX-License-Identifier: MIT
// Grouping candidates into currencies: a group's tasks share its funding in
// proportion to their own tickets, so the group's share stays the same
// whether it runs one task or forty.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "candidates.h"

namespace lottery {

struct TaskGroup {
	std::string name;
	std::vector<std::int32_t> pids; // each matches a pid or a tgid
	std::uint64_t funding = 0;	// in base tickets
};

// What each user's currency is funded with under fund_per_user: large
// enough that a task's value rounds by less than one part in a million of
// its user's share.
inline constexpr std::uint64_t default_user_funding = std::uint64_t{1} << 20;

// The candidates with their tickets replaced by their value in base
// tickets: a task in a group holds its tickets in the group's currency
// (the first group that names it); a task in no group keeps its tickets,
// which are base tickets. Values are rounded to the nearest ticket, and at
// least 1, so that every candidate can still win.
CandidateSet fund_groups(const CandidateSet &set, const std::vector<TaskGroup> &groups);

// Every uid among the candidates gets one currency funded with
// funding_per_user: every user has the same share.
CandidateSet fund_per_user(const CandidateSet &set,
			   std::uint64_t funding_per_user = default_user_funding);

} // namespace lottery
