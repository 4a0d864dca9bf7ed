// SPDX-License-Identifier: MIT
// Candidate sets for the engine's unit tests.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "candidates.h"

namespace lottery::test_support {

// A task with tgid == pid (unless given) and comm "task<pid>".
inline Candidate make_candidate(std::int32_t pid, std::uint64_t tickets, std::uint32_t uid = 0,
				std::int32_t tgid = 0)
{
	Candidate c;
	c.task.pid = pid;
	c.task.tgid = tgid ? tgid : pid;
	c.task.uid = uid;
	c.task.comm = "task" + std::to_string(pid);
	c.tickets = tickets;
	return c;
}

inline CandidateSet make_set(std::vector<Candidate> candidates)
{
	CandidateSet set;
	set.candidates = std::move(candidates);
	set.total_tickets = sum_tickets(set.candidates);
	return set;
}

// One candidate per entry, pids counting up from first_pid.
inline CandidateSet make_set(const std::vector<std::uint64_t> &tickets, std::int32_t first_pid = 1)
{
	std::vector<Candidate> candidates;
	for (auto t : tickets)
		candidates.push_back(make_candidate(first_pid++, t));
	return make_set(std::move(candidates));
}

} // namespace lottery::test_support
