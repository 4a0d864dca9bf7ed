// SPDX-License-Identifier: MIT
// Wins per task over a run, beside the wins its tickets promised: what the
// summary at exit compares.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "candidates.h"
#include "scheduler.h"

namespace lottery {

struct TallyRow {
	std::int32_t pid = 0;
	std::string comm;
	std::int32_t nice = 0;
	std::uint64_t tickets = 0; // last seen
	std::uint64_t wins = 0;
	// Sum over the rounds it was a candidate in of winners * tickets /
	// total, with its allocated tickets (compensation aims to make the
	// observed wins match these, so it is left out). With one winner a
	// round this is the expected number of wins.
	double expected_wins = 0;
};

class WinTally {
public:
	void record(const RoundResult &result, const CandidateSet &set);

	// Sorted by wins, most first, then by pid.
	std::vector<TallyRow> rows() const;
	std::uint64_t rounds() const { return rounds_; }
	std::uint64_t total_wins() const { return total_wins_; }
	// Rounds drawn with runnable tasks missing from the snapshot, the most
	// missing in one, and the source's misses since load as last seen.
	std::uint64_t rounds_with_lost_tasks() const { return rounds_with_lost_tasks_; }
	std::uint64_t most_lost_tasks() const { return most_lost_tasks_; }
	std::uint64_t misses_since_load() const { return misses_since_load_; }

private:
	std::unordered_map<std::int32_t, TallyRow> rows_;
	std::uint64_t rounds_ = 0;
	std::uint64_t total_wins_ = 0;
	std::uint64_t rounds_with_lost_tasks_ = 0;
	std::uint64_t most_lost_tasks_ = 0;
	std::uint64_t misses_since_load_ = 0;
};

} // namespace lottery
