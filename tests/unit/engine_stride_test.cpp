// SPDX-License-Identifier: MIT
#include <algorithm>
#include <cmath>
#include <numeric>

#include <gtest/gtest.h>

#include "engine_test_support.h"
#include "scheduler.h"

using namespace lottery;
using namespace lottery::test_support;

namespace {

struct ErrorBounds {
	double absolute = 0; // max over prefixes and tasks of |wins - rounds * share|
	double pairwise = 0; // the same within every pair of tasks
};

// Runs stride for `rounds` and measures the worst error at every prefix,
// as Waldspurger's analysis does.
ErrorBounds stride_errors(const std::vector<std::uint64_t> &tickets, int rounds)
{
	auto set = make_set(tickets);
	Scheduler scheduler(DrawPolicy::Stride, 0);
	std::vector<double> wins(tickets.size());
	ErrorBounds worst;
	for (int n = 1; n <= rounds; ++n) {
		++wins[scheduler.run_round(set).winner->task.pid - 1];
		for (std::size_t i = 0; i < tickets.size(); ++i) {
			double share = double(tickets[i]) / double(set.total_tickets);
			worst.absolute = std::max(worst.absolute, std::fabs(wins[i] - n * share));
			for (std::size_t j = 0; j < tickets.size(); ++j) {
				double pair_share =
					double(tickets[i]) / double(tickets[i] + tickets[j]);
				double error =
					std::fabs(wins[i] - (wins[i] + wins[j]) * pair_share);
				worst.pairwise = std::max(worst.pairwise, error);
			}
		}
	}
	return worst;
}

} // namespace

TEST(Stride, TwoClientsStayWithinOneQuantumAtEveryRound)
{
	for (auto tickets : std::vector<std::vector<std::uint64_t>>{
		     {1, 1}, {2, 1}, {3, 1}, {7, 3}, {10, 1}, {1024, 3121}}) {
		auto errors = stride_errors(tickets, 5000);
		EXPECT_LT(errors.absolute, 1.0) << tickets[0] << ":" << tickets[1];
	}
}

TEST(Stride, ManyClientsKeepThePapersBounds)
{
	// Basic stride: the relative error between any two clients stays
	// under one quantum; the absolute error grows at most with the number
	// of clients (hierarchical stride would make it logarithmic).
	for (auto tickets :
	     std::vector<std::vector<std::uint64_t>>{{1024, 3121, 335, 15, 88761},
						     {5, 4, 3, 2, 1},
						     {100, 1, 1, 1, 1, 1, 1, 1, 1, 1}}) {
		auto errors = stride_errors(tickets, 5000);
		EXPECT_LE(errors.pairwise, 1.0);
		EXPECT_LT(errors.absolute, double(tickets.size() - 1));
	}
}

TEST(Stride, TiesGoToTheLowerPidAndRotate)
{
	auto set = make_set({5, 5, 5}, 10);
	Scheduler scheduler(DrawPolicy::Stride, 0);
	std::vector<std::int32_t> order;
	for (int i = 0; i < 6; ++i)
		order.push_back(scheduler.run_round(set).winner->task.pid);
	EXPECT_EQ(order, (std::vector<std::int32_t>{10, 11, 12, 10, 11, 12}));
}

TEST(Stride, DoesNotDependOnTheSeed)
{
	auto set = make_set({3, 7, 11});
	Scheduler a(DrawPolicy::Stride, 1), b(DrawPolicy::Stride, 2);
	for (int i = 0; i < 100; ++i)
		ASSERT_EQ(a.run_round(set).winner->task.pid, b.run_round(set).winner->task.pid);
}

TEST(Stride, NewcomerJoinsAtTheGlobalPassWithoutABurst)
{
	Scheduler scheduler(DrawPolicy::Stride, 0);
	auto two = make_set({1, 1});
	for (int i = 0; i < 1000; ++i)
		scheduler.run_round(two);
	const Pass before = scheduler.global_pass();
	EXPECT_TRUE(before == Pass{1000} * stride_of(2));

	auto three = make_set({1, 1, 1});
	auto first = scheduler.run_round(three);
	ASSERT_NE(first.winner->task.pid, 3) << "clients 1 and 2 are a stride closer";
	EXPECT_TRUE(scheduler.stride_pass(3) == before + stride_of(1));

	// From now on, a third each: a newcomer at pass 0 would instead win
	// the next ~1000 rounds in a row.
	int newcomer_wins = 0;
	for (int i = 0; i < 299; ++i)
		newcomer_wins += scheduler.run_round(three).winner->task.pid == 3;
	EXPECT_NEAR(newcomer_wins, 100, 2);
}

TEST(Stride, DepartedClientsAreForgotten)
{
	Scheduler scheduler(DrawPolicy::Stride, 0);
	scheduler.run_round(make_set({1, 1, 1}));
	EXPECT_TRUE(scheduler.stride_pass(3).has_value());
	scheduler.run_round(make_set({1, 1}));
	EXPECT_FALSE(scheduler.stride_pass(3).has_value());
	scheduler.forget(1);
	EXPECT_FALSE(scheduler.stride_pass(1).has_value());
}

TEST(Stride, TicketChangeRescalesTheRemainingDistance)
{
	Scheduler scheduler(DrawPolicy::Stride, 0);
	auto set = make_set({4, 4, 4, 4});
	scheduler.run_round(set); // pid 1 wins
	scheduler.run_round(set); // pid 2 wins
	// Clients 3 and 4 wait at one stride; the global pass is two quanta in.
	const Pass global = scheduler.global_pass();
	const Pass remain = *scheduler.stride_pass(4) - global;
	ASSERT_TRUE(remain > 0);
	ASSERT_TRUE(scheduler.stride_pass(3) == scheduler.stride_pass(4));

	// Doubling client 4's tickets halves the distance it has left, which
	// puts it ahead of client 3 (the paper's modify rule).
	set.candidates[3].tickets = 8;
	set.total_tickets = sum_tickets(set.candidates);
	auto result = scheduler.run_round(set);
	EXPECT_EQ(result.winner->task.pid, 4);
	EXPECT_TRUE(*scheduler.stride_pass(4) == global + remain / 2 + stride_of(8));
}

TEST(Stride, SeveralWinnersTakeTheLowestPasses)
{
	auto set = make_set({1, 2, 3, 4});
	Scheduler scheduler(DrawPolicy::Stride, 0);
	std::vector<int> wins(4);
	const int rounds = 1000;
	for (int i = 0; i < rounds; ++i)
		for (const auto &w : scheduler.run_round(set, 2).winners)
			++wins[w.task.pid - 1];
	for (int i = 0; i < 4; ++i)
		EXPECT_NEAR(wins[i], 2.0 * rounds * (i + 1) / 10, 2.0) << "pid " << i + 1;
}

TEST(StrideQueue, DrawsLowestPassAndRefusesZeroTickets)
{
	std::vector<std::uint64_t> tickets = {1, 2};
	StrideQueue queue(tickets);
	EXPECT_EQ(queue.draw(), 1u); // pass stride/2 < stride
	EXPECT_EQ(queue.draw(), 0u); // tie at stride1: lower index
	EXPECT_EQ(queue.draw(), 1u);
	EXPECT_THROW(StrideQueue(std::vector<std::uint64_t>{1, 0}), std::invalid_argument);
	std::vector<Pass> passes = {5};
	EXPECT_THROW(StrideQueue(tickets, passes), std::invalid_argument);
	StrideQueue one(std::vector<std::uint64_t>{3});
	EXPECT_EQ(one.draw_distinct(4).size(), 1u);
}

TEST(StrideQueue, HeapAgreesWithALinearSearch)
{
	// Many clients, random tickets and starting passes, ties included:
	// every draw must be the (pass, index) minimum a plain scan finds.
	Rng rng(17);
	const std::size_t n = 1000;
	std::vector<std::uint64_t> tickets(n);
	std::vector<Pass> passes(n);
	for (std::size_t i = 0; i < n; ++i) {
		tickets[i] = 1 + rng.below(100);
		passes[i] = Pass{rng.below(8)} * stride_of(64);
	}
	StrideQueue queue(tickets, passes);
	for (int round = 0; round < 20000; ++round) {
		std::size_t expected = 0;
		for (std::size_t i = 1; i < n; ++i)
			if (passes[i] < passes[expected])
				expected = i;
		ASSERT_EQ(queue.draw(), expected) << "round " << round;
		passes[expected] += stride_of(tickets[expected]);
	}

	StrideQueue fresh(tickets, passes);
	auto winners = fresh.draw_distinct(50);
	std::vector<std::size_t> order(n);
	std::iota(order.begin(), order.end(), 0);
	std::stable_sort(order.begin(), order.end(),
			 [&](std::size_t a, std::size_t b) { return passes[a] < passes[b]; });
	EXPECT_EQ(winners, std::vector<std::size_t>(order.begin(), order.begin() + 50));
}
