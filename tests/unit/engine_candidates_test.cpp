// SPDX-License-Identifier: MIT
#include <algorithm>
#include <limits>
#include <random>
#include <string>
#include <tuple>

#include <gtest/gtest.h>

#include "candidates.h"

using namespace lottery;

namespace {

RunnableTask task(std::int32_t pid, std::int32_t tgid, std::string comm, int nice = 0)
{
	RunnableTask t;
	t.pid = pid;
	t.tgid = tgid;
	t.comm = std::move(comm);
	t.nice = nice;
	t.uid = 1000;
	return t;
}

// A machine with a bit of everything, delivered out of pid order.
Snapshot machine()
{
	Snapshot s;
	s.tasks.push_back(task(300, 300, "cpu_task", -5));
	s.tasks.push_back(task(301, 300, "cpu_task", 5)); // a thread of 300
	RunnableTask kworker = task(12, 12, "kworker/0:1");
	kworker.kernel_thread = true;
	kworker.uid = 0;
	s.tasks.push_back(kworker);
	RunnableTask migration = task(15, 15, "migration/0");
	migration.kernel_thread = true;
	migration.policy = SchedPolicy::Fifo;
	migration.uid = 0;
	s.tasks.push_back(migration);
	RunnableTask audio = task(250, 250, "pipewire");
	audio.policy = SchedPolicy::RoundRobin;
	s.tasks.push_back(audio);
	RunnableTask idle = task(280, 280, "backup");
	idle.policy = SchedPolicy::Idle;
	s.tasks.push_back(idle);
	RunnableTask root_task = task(200, 200, "sshd");
	root_task.uid = 0;
	s.tasks.push_back(root_task);
	s.tasks.push_back(task(400, 400, "lottery")); // the agent
	return s;
}

std::vector<std::int32_t> pids(const CandidateSet &set)
{
	std::vector<std::int32_t> out;
	for (const auto &c : set.candidates)
		out.push_back(c.task.pid);
	return out;
}

CandidateFilter agent_filter()
{
	CandidateFilter f;
	f.self_tgid = 400;
	return f;
}

} // namespace

TEST(SelectCandidates, DefaultsLeaveOutAgentKernelThreadsAndRealtime)
{
	auto set = select_candidates(machine(), agent_filter(), {});
	EXPECT_EQ(pids(set), (std::vector<std::int32_t>{200, 280, 300, 301}));
	EXPECT_EQ(set.runnable, 8u);
	EXPECT_EQ(set.excluded_self, 1u);
	EXPECT_EQ(set.excluded_kernel_threads, 2u);
	EXPECT_EQ(set.excluded_by_filter, 0u);
	ASSERT_EQ(set.realtime.size(), 1u);
	EXPECT_EQ(set.realtime[0].pid, 250);
	EXPECT_EQ(set.total_tickets, 1024u + idle_weight + 3121u + 335u);
	EXPECT_EQ(set.candidates[1].tickets, idle_weight);
}

TEST(SelectCandidates, KernelThreadsAndRealtimeCanBeIncluded)
{
	auto filter = agent_filter();
	filter.include_kernel_threads = true;
	auto set = select_candidates(machine(), filter, {});
	EXPECT_EQ(pids(set), (std::vector<std::int32_t>{12, 200, 280, 300, 301}));
	EXPECT_EQ(set.realtime.size(), 2u) << "migration/0 is listed, not drawn";

	filter.include_realtime = true;
	set = select_candidates(machine(), filter, {});
	EXPECT_EQ(pids(set), (std::vector<std::int32_t>{12, 15, 200, 250, 280, 300, 301}));
	EXPECT_TRUE(set.realtime.empty());
	EXPECT_EQ(set.candidates[1].tickets, nice_to_weight(0)) << "real-time weighs as nice 0";
}

TEST(SelectCandidates, PidFilterMatchesThreadOrProcess)
{
	auto filter = agent_filter();
	filter.pids = {300};
	auto set = select_candidates(machine(), filter, {});
	EXPECT_EQ(pids(set), (std::vector<std::int32_t>{300, 301}));
	EXPECT_EQ(set.excluded_by_filter, 3u); // sshd, backup, pipewire
	EXPECT_TRUE(set.realtime.empty());

	filter.pids = {301, 200};
	EXPECT_EQ(pids(select_candidates(machine(), filter, {})),
		  (std::vector<std::int32_t>{200, 301}));
}

TEST(SelectCandidates, UidAndCommFiltersCombine)
{
	auto filter = agent_filter();
	filter.uids = {0};
	EXPECT_EQ(pids(select_candidates(machine(), filter, {})), (std::vector<std::int32_t>{200}));

	filter.uids = {1000};
	filter.comms = {"cpu_task", "backup"};
	EXPECT_EQ(pids(select_candidates(machine(), filter, {})),
		  (std::vector<std::int32_t>{280, 300, 301}));

	filter.comms = {"cpu_tas"}; // exact match only
	EXPECT_TRUE(select_candidates(machine(), filter, {}).candidates.empty());
}

TEST(SelectCandidates, TheAgentIsExcludedEvenWhenNamed)
{
	auto filter = agent_filter();
	filter.pids = {400};
	auto set = select_candidates(machine(), filter, {});
	EXPECT_TRUE(set.candidates.empty());
	EXPECT_EQ(set.excluded_self, 1u);
}

TEST(SelectCandidates, OverridesReplaceDefaultTickets)
{
	TicketOverrides overrides;
	overrides.by_pid[300] = 10;  // the whole process...
	overrides.by_pid[301] = 999; // ...but this thread has its own
	overrides.by_pid[280] = 40;  // SCHED_IDLE tasks can be given tickets too
	auto set = select_candidates(machine(), agent_filter(), overrides);
	ASSERT_EQ(pids(set), (std::vector<std::int32_t>{200, 280, 300, 301}));
	EXPECT_EQ(set.candidates[0].tickets, 1024u);
	EXPECT_EQ(set.candidates[1].tickets, 40u);
	EXPECT_EQ(set.candidates[2].tickets, 10u);
	EXPECT_EQ(set.candidates[3].tickets, 999u);
	EXPECT_EQ(set.total_tickets, 1024u + 40 + 10 + 999);
}

TEST(SelectCandidates, OrderDoesNotDependOnTheBackend)
{
	Snapshot shuffled = machine();
	std::reverse(shuffled.tasks.begin(), shuffled.tasks.end());
	auto a = select_candidates(machine(), agent_filter(), {});
	auto b = select_candidates(shuffled, agent_filter(), {});
	EXPECT_EQ(pids(a), pids(b));
}

TEST(WhyNoCandidates, ExplainsAnEmptySetInOneLine)
{
	auto filter = agent_filter();
	filter.comms = {"nothing-by-that-name"};
	auto snapshot = machine();
	auto set = select_candidates(snapshot, filter, {});
	auto why = why_no_candidates(set, snapshot);
	EXPECT_EQ(why, "no runnable task to draw from: 8 runnable, 1 of lottery itself, "
		       "2 kernel threads, 5 excluded by the filters");
	EXPECT_EQ(why.find('\n'), std::string::npos);

	Snapshot empty;
	empty.lost_tasks = 3;
	EXPECT_EQ(why_no_candidates(select_candidates(empty, filter, {}), empty),
		  "no runnable tasks in the snapshot");
	EXPECT_EQ(why_no_candidates(select_candidates(snapshot, agent_filter(), {}), snapshot), "");
}

TEST(SumTickets, RefusesOverflow)
{
	std::vector<Candidate> huge(2);
	huge[0].tickets = huge[1].tickets = std::uint64_t{1} << 63;
	EXPECT_THROW(sum_tickets(huge), std::overflow_error);
}

namespace {

// Pids, comm and nice of the candidates, to compare a sort with the expected one.
std::vector<std::tuple<std::int32_t, std::string, int>> identities(const std::vector<RunnableTask> &tasks)
{
	std::vector<std::tuple<std::int32_t, std::string, int>> out;
	for (const auto &t : tasks)
		out.emplace_back(t.pid, t.comm, t.nice);
	return out;
}

std::vector<RunnableTask> tasks_of(const CandidateSet &set)
{
	std::vector<RunnableTask> out;
	for (const auto &c : set.candidates)
		out.push_back(c.task);
	return out;
}

std::vector<RunnableTask> stably_sorted_by_pid(std::vector<RunnableTask> tasks)
{
	std::stable_sort(tasks.begin(), tasks.end(),
			 [](const auto &a, const auto &b) { return a.pid < b.pid; });
	return tasks;
}

} // namespace

// At real sizes the sort is a radix sort on the pid: every task must come
// out whole (its comm and tickets with it), in pid order.
TEST(SelectCandidates, ThousandsOfShuffledTasksComeOutByPidWithTheirTickets)
{
	std::mt19937 random(6);
	Snapshot snapshot;
	std::uniform_int_distribution<std::int32_t> pid(1, 1 << 22), nice(-20, 19);
	for (int i = 0; i < 5000; i++) {
		RunnableTask t = task(pid(random), 1, "t" + std::to_string(i), nice(random));
		if (i % 10 == 0)
			t.policy = SchedPolicy::Fifo;
		snapshot.tasks.push_back(t);
	}
	std::vector<RunnableTask> normal, realtime;
	for (const auto &t : snapshot.tasks)
		(is_realtime(t.policy) ? realtime : normal).push_back(t);

	auto set = select_candidates(snapshot, {}, {});
	EXPECT_EQ(identities(tasks_of(set)), identities(stably_sorted_by_pid(normal)));
	EXPECT_EQ(identities(set.realtime), identities(stably_sorted_by_pid(realtime)));
	for (const auto &c : set.candidates)
		ASSERT_EQ(c.tickets, nice_to_weight(c.task.nice)) << "pid " << c.task.pid;
}

// Pids from the whole int32 range (no kernel makes them, a test or a fuzzer
// can) take every pass of the radix sort; equal pids keep the snapshot's order.
TEST(SelectCandidates, AnyInt32PidsSortAndEqualPidsKeepTheirOrder)
{
	std::mt19937 random(7);
	Snapshot snapshot;
	std::uniform_int_distribution<std::int32_t> any_pid(std::numeric_limits<std::int32_t>::min(),
							    std::numeric_limits<std::int32_t>::max());
	for (std::int32_t pid : {std::numeric_limits<std::int32_t>::max(), 0, -1,
				 std::numeric_limits<std::int32_t>::min(), 5, 5, 5})
		snapshot.tasks.push_back(task(pid, 1, "edge" + std::to_string(snapshot.tasks.size())));
	for (int i = 0; i < 2000; i++)
		snapshot.tasks.push_back(task(any_pid(random), 1, "any" + std::to_string(i)));
	std::shuffle(snapshot.tasks.begin(), snapshot.tasks.end(), random);

	auto set = select_candidates(snapshot, {}, {});
	EXPECT_EQ(identities(tasks_of(set)), identities(stably_sorted_by_pid(snapshot.tasks)));
}

TEST(SelectCandidates, TasksThatAllShareOnePidKeepTheirOrder)
{
	Snapshot snapshot;
	for (const char *comm : {"c", "a", "b"})
		snapshot.tasks.push_back(task(42, 42, comm));
	auto set = select_candidates(snapshot, {}, {});
	EXPECT_EQ(identities(tasks_of(set)), identities(snapshot.tasks));
}
