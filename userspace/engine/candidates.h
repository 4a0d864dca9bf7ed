// SPDX-License-Identifier: MIT
// From a snapshot to the tasks that take part in the draw, each with its
// tickets. Which tasks are left out, and why, is counted so that an empty
// draw can be explained.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "snapshot.h"
#include "tickets.h"

namespace lottery {

struct CandidateFilter {
	std::vector<std::int32_t> pids;	 // match pid or tgid; empty = all
	std::vector<std::uint32_t> uids; // empty = all
	std::vector<std::string> comms;	 // exact comm match; empty = all
	bool include_kernel_threads = false;
	// Real-time and deadline tasks are outside the kernel's weights: by
	// default they are listed but not drawn. When included they hold a
	// nice-0 task's tickets (1024) unless overridden, which is the share
	// they would have if they were demoted to SCHED_OTHER.
	bool include_realtime = false;
	std::int32_t self_tgid = 0; // the agent: always excluded (0 = none)
};

struct Candidate {
	RunnableTask task;
	std::uint64_t tickets = 0;
};

struct CandidateSet {
	std::vector<Candidate> candidates;  // sorted by pid
	std::vector<RunnableTask> realtime; // seen, matched, not drawn; sorted by pid
	std::size_t runnable = 0;	    // tasks in the snapshot
	std::size_t excluded_self = 0;
	std::size_t excluded_kernel_threads = 0;
	std::size_t excluded_by_filter = 0;
	std::uint64_t total_tickets = 0;
	// From the snapshot, meaning what they mean in Snapshot (snapshot.h).
	std::uint64_t lost_tasks = 0;
	std::uint64_t misses_since_load = 0;
};

// True for the policies the kernel does not weigh by nice: FIFO, RR and
// DEADLINE.
bool is_realtime(SchedPolicy policy);

// Sorted by pid whatever order the backend delivered, so that a seeded
// run draws the same winners from the same tasks.
CandidateSet select_candidates(const Snapshot &snapshot, const CandidateFilter &filter,
			       const TicketOverrides &overrides);

// Sum of the candidates' tickets; throws std::overflow_error if it does
// not fit in 64 bits.
std::uint64_t sum_tickets(const std::vector<Candidate> &candidates);

// One line that says why nothing can be drawn, e.g. "no runnable task to
// draw from: 12 runnable, 10 kernel threads, 2 excluded by the filters";
// empty when there are candidates.
std::string why_no_candidates(const CandidateSet &set, const Snapshot &snapshot);

} // namespace lottery
