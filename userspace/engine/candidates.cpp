// SPDX-License-Identifier: MIT
#include "candidates.h"

#include <algorithm>
#include <array>
#include <bit>
#include <stdexcept>
#include <utility>

namespace lottery {

namespace {

template <typename T> bool allowed(const std::vector<T> &wanted, const T &value)
{
	return wanted.empty() || std::find(wanted.begin(), wanted.end(), value) != wanted.end();
}

bool matches(const CandidateFilter &filter, const RunnableTask &task)
{
	bool pid_ok = filter.pids.empty() ||
		      std::any_of(filter.pids.begin(), filter.pids.end(), [&](std::int32_t pid) {
			      return pid == task.pid || pid == task.tgid;
		      });
	return pid_ok && allowed(filter.uids, task.uid) && allowed(filter.comms, task.comm);
}

// Sorting the Candidates themselves with std::sort cost 0.9 ms at 10 000
// tasks, most of it moving their comm strings around, which made the
// candidates the dearest step of a round after the map read. Instead the
// chosen tasks' positions in the snapshot are sorted by pid with a least-
// significant-digit radix sort, in linear time, and each task is then copied
// once, straight to its place. An entry holds the pid, as an unsigned key of
// the same order, in its high half and the position in its low half, so that
// the passes read one array in order and never the tasks. Equal pids keep
// the snapshot's order.
std::uint64_t pid_entry(std::int32_t pid, std::uint32_t position)
{
	std::uint32_t key = std::uint32_t(pid) ^ 0x80000000U;
	return std::uint64_t{key} << 32 | position;
}

std::uint32_t position_of(std::uint64_t entry)
{
	return std::uint32_t(entry);
}

// Only the low bits in which some keys differ need passes: pids are below
// 2^22 (PID_MAX_LIMIT), so two passes of 11 bits do; a wider spread of pids
// (only tests make one) takes up to three.
constexpr int radix_bits = 11;
constexpr std::uint32_t radix_mask = (1U << radix_bits) - 1;

void sort_by_pid(std::vector<std::uint64_t> &entries)
{
	std::uint32_t differing = 0;
	for (std::uint64_t entry : entries)
		differing |= std::uint32_t((entry ^ entries.front()) >> 32);
	const int key_bits = static_cast<int>(std::bit_width(differing));
	std::vector<std::uint64_t> sorted(key_bits ? entries.size() : 0);
	for (int shift = 32; shift < 32 + key_bits; shift += radix_bits) {
		std::array<std::uint32_t, radix_mask + 1> next{}; // where each digit goes
		for (std::uint64_t entry : entries)
			next[(entry >> shift) & radix_mask]++;
		std::uint32_t start = 0;
		for (auto &slot : next)
			start += std::exchange(slot, start);
		for (std::uint64_t entry : entries)
			sorted[next[(entry >> shift) & radix_mask]++] = entry;
		entries.swap(sorted);
	}
}

void append_count(std::string &line, std::size_t count, const char *what)
{
	if (count == 0)
		return;
	line += ", " + std::to_string(count) + " " + what;
}

} // namespace

bool is_realtime(SchedPolicy policy)
{
	return policy == SchedPolicy::Fifo || policy == SchedPolicy::RoundRobin ||
	       policy == SchedPolicy::Deadline;
}

std::uint64_t sum_tickets(const std::vector<Candidate> &candidates)
{
	std::uint64_t total = 0;
	for (const auto &candidate : candidates)
		if (__builtin_add_overflow(total, candidate.tickets, &total))
			throw std::overflow_error("the tickets add up to more than 2^64");
	return total;
}

CandidateSet select_candidates(const Snapshot &snapshot, const CandidateFilter &filter,
			       const TicketOverrides &overrides)
{
	CandidateSet set;
	set.runnable = snapshot.tasks.size();
	set.lost_tasks = snapshot.lost_tasks;
	set.misses_since_load = snapshot.misses_since_load;
	// A snapshot holds fewer than 2^32 tasks: a position fits in an entry.
	std::vector<std::uint64_t> drawn, realtime;
	drawn.reserve(snapshot.tasks.size());
	for (std::uint32_t i = 0; i < snapshot.tasks.size(); i++) {
		const RunnableTask &task = snapshot.tasks[i];
		if (filter.self_tgid != 0 && task.tgid == filter.self_tgid) {
			++set.excluded_self;
		} else if (task.kernel_thread && !filter.include_kernel_threads) {
			++set.excluded_kernel_threads;
		} else if (!matches(filter, task)) {
			++set.excluded_by_filter;
		} else if (is_realtime(task.policy) && !filter.include_realtime) {
			realtime.push_back(pid_entry(task.pid, i));
		} else {
			drawn.push_back(pid_entry(task.pid, i));
		}
	}
	sort_by_pid(drawn);
	set.candidates.reserve(drawn.size());
	for (std::uint64_t entry : drawn) {
		const RunnableTask &task = snapshot.tasks[position_of(entry)];
		// Braces, not emplace_back's parentheses: clang before 16 (the
		// fuzz build) lacks C++20's parenthesized aggregate init.
		set.candidates.push_back(
			Candidate{task, overrides.find(task).value_or(default_tickets(task))});
	}
	sort_by_pid(realtime);
	set.realtime.reserve(realtime.size());
	for (std::uint64_t entry : realtime)
		set.realtime.push_back(snapshot.tasks[position_of(entry)]);
	set.total_tickets = sum_tickets(set.candidates);
	return set;
}

std::string why_no_candidates(const CandidateSet &set, const Snapshot &snapshot)
{
	if (!set.candidates.empty())
		return {};
	if (snapshot.tasks.empty())
		return "no runnable tasks in the snapshot"; // the round line adds what was lost
	std::string line =
		"no runnable task to draw from: " + std::to_string(snapshot.tasks.size()) +
		" runnable";
	append_count(line, set.excluded_self, "of lottery itself");
	append_count(line, set.excluded_kernel_threads, "kernel threads");
	append_count(line, set.excluded_by_filter, "excluded by the filters");
	append_count(line, set.realtime.size(), "real-time (not drawn)");
	return line;
}

} // namespace lottery
