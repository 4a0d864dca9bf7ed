// SPDX-License-Identifier: MIT
#include <map>

#include <gtest/gtest.h>

#include "currency.h"
#include "engine_test_support.h"
#include "groups.h"
#include "scheduler.h"

using namespace lottery;
using namespace lottery::test_support;

namespace {

// Each uid's share of the set's tickets.
std::map<std::uint32_t, double> share_by_uid(const CandidateSet &set)
{
	std::map<std::uint32_t, double> shares;
	for (const auto &c : set.candidates)
		shares[c.task.uid] += double(c.tickets) / double(set.total_tickets);
	return shares;
}

} // namespace

TEST(CurrencyTree, ValueFlowsDownFromTheBase)
{
	CurrencyTree tree;
	auto team = tree.add_currency("team", CurrencyTree::base, 100);
	auto project = tree.add_currency("project", team, 30);
	tree.issue(team, 70);	 // a task holding 70 team tickets
	tree.issue(project, 20); // tasks holding 20 project tickets in all
	EXPECT_EQ(tree.active_issued(team), 100u);
	EXPECT_DOUBLE_EQ(double(tree.value_in_base(team, 70)), 70.0);
	EXPECT_DOUBLE_EQ(double(tree.value_in_base(project, 10)), 15.0); // 10/20 of 30 of 100/100
	EXPECT_DOUBLE_EQ(double(tree.value_in_base(CurrencyTree::base, 42)), 42.0);
	EXPECT_EQ(tree.name(project), "project");
	EXPECT_EQ(tree.parent(project), team);
}

TEST(CurrencyTree, AnInactiveCurrencyDoesNotDiluteItsParent)
{
	CurrencyTree tree;
	auto team = tree.add_currency("team", CurrencyTree::base, 100);
	auto project = tree.add_currency("project", team, 30);
	tree.issue(team, 70);
	tree.issue(project, 5);
	tree.retire(project, 5); // its tasks blocked
	EXPECT_EQ(tree.active_issued(team), 70u);
	EXPECT_DOUBLE_EQ(double(tree.value_in_base(team, 70)), 100.0);
	EXPECT_DOUBLE_EQ(double(tree.value_in_base(project, 1)), 0.0);
	EXPECT_THROW(tree.retire(project, 1), std::invalid_argument);
	EXPECT_THROW(tree.add_currency("orphan", 99, 1), std::out_of_range);
}

TEST(CurrencyTree, InflationInOneCurrencyLeavesAnotherAlone)
{
	CurrencyTree tree;
	auto a = tree.add_currency("a", CurrencyTree::base, 1000);
	auto b = tree.add_currency("b", CurrencyTree::base, 1000);
	tree.issue(a, 200);
	tree.issue(b, 100);
	const long double b_before = tree.value_in_base(b, 100);
	const long double a_task_before = tree.value_in_base(a, 100);
	tree.issue(a, 9900); // one of a's tasks inflates from 100 to 10000
	EXPECT_EQ(tree.value_in_base(b, 100), b_before);
	EXPECT_DOUBLE_EQ(double(b_before), 1000.0);
	EXPECT_LT(tree.value_in_base(a, 100), a_task_before); // a's other task
	EXPECT_DOUBLE_EQ(double(tree.value_in_base(a, 10000) + tree.value_in_base(a, 100)), 1000.0);
}

TEST(FundGroups, GroupSharesStayFixedWhateverTheyRun)
{
	std::vector<TaskGroup> groups = {{"web", {100}, 3000}, {"batch", {200, 201}, 1000}};
	// web is one process with four threads (tgid 100); batch two tasks.
	auto set = make_set({make_candidate(100, 1024, 0), make_candidate(101, 1024, 0, 100),
			     make_candidate(102, 1024, 0, 100), make_candidate(103, 1024, 0, 100),
			     make_candidate(200, 1024, 0), make_candidate(201, 335, 0)});
	auto funded = fund_groups(set, groups);
	EXPECT_EQ(funded.total_tickets, 4000u);
	for (int i = 0; i < 4; ++i)
		EXPECT_EQ(funded.candidates[i].tickets, 750u);
	EXPECT_EQ(funded.candidates[4].tickets, 753u); // 1000 * 1024/1359 = 753.49
	EXPECT_EQ(funded.candidates[5].tickets, 247u); // 246.51

	// Inflation inside batch changes nothing for web.
	set.candidates[5].tickets = 88761;
	set.total_tickets = sum_tickets(set.candidates);
	funded = fund_groups(set, groups);
	for (int i = 0; i < 4; ++i)
		EXPECT_EQ(funded.candidates[i].tickets, 750u);
	EXPECT_EQ(funded.candidates[4].tickets + funded.candidates[5].tickets, 1000u);
}

TEST(FundGroups, TasksInNoGroupKeepBaseTicketsAndNoTaskDropsToZero)
{
	std::vector<TaskGroup> groups = {{"crowd", {1, 2}, 10}};
	auto funded = fund_groups(make_set({make_candidate(1, 1, 0), make_candidate(2, 1000000, 0),
					    make_candidate(3, 1024, 0)}),
				  groups);
	EXPECT_EQ(funded.candidates[0].tickets, 1u) << "rounds to 0, kept drawable";
	EXPECT_EQ(funded.candidates[1].tickets, 10u);
	EXPECT_EQ(funded.candidates[2].tickets, 1024u);
	EXPECT_EQ(funded.total_tickets, 1035u);
}

TEST(FundPerUser, OneTaskAgainstFourEachGetHalf)
{
	auto set = make_set({make_candidate(1, 1024, 1000), make_candidate(2, 1024, 2000),
			     make_candidate(3, 1024, 2000), make_candidate(4, 1024, 2000),
			     make_candidate(5, 1024, 2000)});
	auto funded = fund_per_user(set);
	auto shares = share_by_uid(funded);
	EXPECT_DOUBLE_EQ(shares[1000], 0.5);
	EXPECT_DOUBLE_EQ(shares[2000], 0.5);
	EXPECT_EQ(funded.candidates[0].tickets, default_user_funding);
	EXPECT_EQ(funded.candidates[1].tickets, default_user_funding / 4);

	// Inside a user, tasks still split by their own tickets.
	set.candidates[1].tickets = 3121;
	funded = fund_per_user(set);
	EXPECT_NEAR(double(funded.candidates[1].tickets) / funded.candidates[2].tickets,
		    3121.0 / 1024.0, 1e-4);
	EXPECT_NEAR(share_by_uid(funded)[1000], 0.5, 1e-6);
}

TEST(FundPerUser, StrideGivesEachUserHalfTheRounds)
{
	auto funded = fund_per_user(
		make_set({make_candidate(1, 1024, 1000), make_candidate(2, 15, 2000),
			  make_candidate(3, 88761, 2000), make_candidate(4, 1024, 2000),
			  make_candidate(5, 3, 2000)}));
	Scheduler scheduler(DrawPolicy::Stride, 0);
	int first_user = 0;
	const int rounds = 1000;
	for (int i = 0; i < rounds; ++i)
		first_user += scheduler.run_round(funded).winner->task.uid == 1000;
	EXPECT_NEAR(first_user, rounds / 2, 1);
}
