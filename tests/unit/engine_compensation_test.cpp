// SPDX-License-Identifier: MIT
#include <limits>

#include <gtest/gtest.h>

#include "compensation.h"
#include "engine_test_support.h"
#include "scheduler.h"

using namespace lottery;
using namespace lottery::test_support;

namespace {

// Task 1 is I/O-bound: it blocks after a fifth of each quantum it wins.
// Task 2 uses every quantum it wins. Returns task 1's CPU time over task 2's.
double cpu_ratio(DrawPolicy policy, bool compensate, int rounds)
{
	const std::uint64_t quantum = 100'000'000, io_burst = 20'000'000;
	auto set = make_set({1024, 1024});
	Scheduler scheduler(policy, 42);
	double cpu[2] = {0, 0};
	for (int i = 0; i < rounds; ++i) {
		auto pid = scheduler.run_round(set).winner->task.pid;
		const std::uint64_t used = pid == 1 ? io_burst : quantum;
		cpu[pid - 1] += double(used);
		if (compensate)
			scheduler.record_usage(pid, used, quantum);
	}
	return cpu[0] / cpu[1];
}

} // namespace

TEST(CompensatedTickets, InflateByOneOverTheFractionUsed)
{
	EXPECT_EQ(compensated_tickets(100, 25, 100), 400u);
	EXPECT_EQ(compensated_tickets(100, 30, 100), 333u); // 333.3
	EXPECT_EQ(compensated_tickets(3, 2, 3), 5u);	    // 4.5 rounds up
	EXPECT_EQ(compensated_tickets(1024, 1, 1000000), 1024u * max_compensation_factor);
	EXPECT_EQ(compensated_tickets(1024, 0, 100), 1024u * max_compensation_factor);
}

TEST(CompensatedTickets, AWholeQuantumEarnsNothing)
{
	EXPECT_EQ(compensated_tickets(100, 100, 100), 100u);
	EXPECT_EQ(compensated_tickets(100, 250, 100), 100u);
	EXPECT_EQ(compensated_tickets(100, 0, 0), 100u);
}

TEST(CompensatedTickets, SaturatesInsteadOfWrapping)
{
	const auto most = std::numeric_limits<std::uint64_t>::max();
	EXPECT_EQ(compensated_tickets(std::uint64_t{1} << 63, 1, 1000), most);
	EXPECT_EQ(compensated_tickets(std::uint64_t{1} << 62, 1, 2), std::uint64_t{1} << 63);
}

TEST(SchedulerCompensation, LastsUntilTheNextWinAndSurvivesBlocking)
{
	Scheduler scheduler(DrawPolicy::Lottery, 1);
	scheduler.record_usage(1, 10, 100); // task 1 used a tenth, then blocked
	auto only_two = make_set({1024, 1024});
	only_two.candidates.erase(only_two.candidates.begin());
	only_two.total_tickets = 1024;
	scheduler.run_round(only_two); // task 1 is blocked: not a candidate

	auto both = make_set({1024, 1024});
	auto result = scheduler.run_round(both);
	EXPECT_EQ(result.total_tickets, 10240u + 1024u) << "compensation kept while blocked";
	// Task 1 holds 10/11 of the tickets until it wins once.
	while (result.winner->task.pid != 1) {
		EXPECT_EQ(result.total_tickets, 11264u);
		result = scheduler.run_round(both);
	}
	EXPECT_EQ(result.winner->tickets, 10240u);
	EXPECT_EQ(scheduler.run_round(both).total_tickets, 2048u) << "used up by the win";

	scheduler.record_usage(2, 50, 100);
	scheduler.record_usage(2, 100, 100); // a full quantum clears it
	EXPECT_EQ(scheduler.run_round(both).total_tickets, 2048u);
	scheduler.record_usage(2, 50, 100);
	scheduler.forget(2);
	EXPECT_EQ(scheduler.run_round(both).total_tickets, 2048u);
}

TEST(SchedulerCompensation, IoBoundTaskGetsItsShareOfTheCpu)
{
	// Without compensation the I/O-bound task wins half the rounds but
	// gets a fifth of the CPU time of its rival; with it, about the same.
	for (auto policy : {DrawPolicy::Lottery, DrawPolicy::Stride}) {
		EXPECT_NEAR(cpu_ratio(policy, false, 20000), 0.2, 0.02) << draw_policy_name(policy);
		EXPECT_NEAR(cpu_ratio(policy, true, 20000), 1.0, 0.05) << draw_policy_name(policy);
	}
}
