// SPDX-License-Identifier: MIT
#include "candidates.h"

#include <algorithm>
#include <stdexcept>

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
	for (const auto &task : snapshot.tasks) {
		if (filter.self_tgid != 0 && task.tgid == filter.self_tgid) {
			++set.excluded_self;
		} else if (task.kernel_thread && !filter.include_kernel_threads) {
			++set.excluded_kernel_threads;
		} else if (!matches(filter, task)) {
			++set.excluded_by_filter;
		} else if (is_realtime(task.policy) && !filter.include_realtime) {
			set.realtime.push_back(task);
		} else {
			auto tickets = overrides.find(task).value_or(default_tickets(task));
			set.candidates.push_back(Candidate{task, tickets});
		}
	}
	auto by_pid = [](const auto &a, const auto &b) { return a.pid < b.pid; };
	std::sort(set.candidates.begin(), set.candidates.end(),
		  [&](const Candidate &a, const Candidate &b) { return by_pid(a.task, b.task); });
	std::sort(set.realtime.begin(), set.realtime.end(), by_pid);
	set.total_tickets = sum_tickets(set.candidates);
	return set;
}

std::string why_no_candidates(const CandidateSet &set, const Snapshot &snapshot)
{
	if (!set.candidates.empty())
		return {};
	if (snapshot.tasks.empty()) {
		std::string line = "no runnable tasks in the snapshot";
		if (snapshot.lost_tasks)
			line += " (" + std::to_string(snapshot.lost_tasks) +
				" lost: the source was full)";
		return line;
	}
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
