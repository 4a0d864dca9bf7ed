// SPDX-License-Identifier: MIT
#include <algorithm>
#include <cmath>
#include <set>

#include <gtest/gtest.h>

#include "engine_test_support.h"
#include "scheduler.h"
#include "tally.h"

using namespace lottery;
using namespace lottery::test_support;

namespace {

std::vector<std::int32_t> winner_pids(Scheduler &scheduler, const CandidateSet &set, int rounds)
{
	std::vector<std::int32_t> pids;
	for (int i = 0; i < rounds; ++i)
		pids.push_back(scheduler.run_round(set).winner->task.pid);
	return pids;
}

} // namespace

TEST(DrawPolicy, NamesRoundTrip)
{
	EXPECT_EQ(parse_draw_policy("lottery"), DrawPolicy::Lottery);
	EXPECT_EQ(parse_draw_policy("stride"), DrawPolicy::Stride);
	EXPECT_FALSE(parse_draw_policy("Lottery"));
	EXPECT_STREQ(draw_policy_name(DrawPolicy::Stride), "stride");
	EXPECT_STREQ(draw_policy_name(DrawPolicy::Lottery), "lottery");
}

TEST(LotteryRound, SeededRunsRepeatWhateverOrderTheSnapshotCameIn)
{
	Snapshot snapshot;
	for (std::int32_t pid : {40, 10, 30, 20, 50}) {
		RunnableTask t;
		t.pid = t.tgid = pid;
		t.nice = pid / 10 - 3;
		snapshot.tasks.push_back(t);
	}
	auto forward = select_candidates(snapshot, {}, {});
	std::reverse(snapshot.tasks.begin(), snapshot.tasks.end());
	auto backward = select_candidates(snapshot, {}, {});

	Scheduler a(DrawPolicy::Lottery, 1234), b(DrawPolicy::Lottery, 1234),
		c(DrawPolicy::Lottery, 4321);
	auto first = winner_pids(a, forward, 200);
	EXPECT_EQ(first, winner_pids(b, backward, 200));
	EXPECT_NE(first, winner_pids(c, forward, 200));
}

TEST(LotteryRound, ReportsTheRound)
{
	Scheduler scheduler(DrawPolicy::Lottery, 1);
	auto set = make_set({make_candidate(7, 100), make_candidate(9, 300)});
	auto first = scheduler.run_round(set);
	auto second = scheduler.run_round(set);
	EXPECT_EQ(first.round, 1u);
	EXPECT_EQ(second.round, 2u);
	EXPECT_EQ(second.total_tickets, 400u);
	EXPECT_EQ(second.candidate_count, 2u);
	ASSERT_TRUE(second.winner);
	ASSERT_EQ(second.winners.size(), 1u);
	EXPECT_EQ(second.winner->task.pid, second.winners[0].task.pid);
}

TEST(LotteryRound, NoCandidatesNoWinner)
{
	for (auto policy : {DrawPolicy::Lottery, DrawPolicy::Stride}) {
		Scheduler scheduler(policy, 1);
		auto result = scheduler.run_round(CandidateSet{});
		EXPECT_EQ(result.round, 1u);
		EXPECT_FALSE(result.winner);
		EXPECT_TRUE(result.winners.empty());
		EXPECT_EQ(result.total_tickets, 0u);
		EXPECT_THROW(scheduler.run_round(CandidateSet{}, 0), std::invalid_argument);
	}
}

TEST(LotteryRound, OneWinnerPerCpuAllDifferent)
{
	auto set = make_set({make_candidate(1, 1), make_candidate(2, 1000), make_candidate(3, 10),
			     make_candidate(4, 5)});
	for (auto policy : {DrawPolicy::Lottery, DrawPolicy::Stride}) {
		Scheduler scheduler(policy, 5);
		for (int round = 0; round < 200; ++round) {
			auto result = scheduler.run_round(set, 3);
			ASSERT_EQ(result.winners.size(), 3u);
			std::set<std::int32_t> pids;
			for (const auto &w : result.winners)
				pids.insert(w.task.pid);
			ASSERT_EQ(pids.size(), 3u) << draw_policy_name(policy);
		}
		EXPECT_EQ(scheduler.run_round(set, 8).winners.size(), 4u);
	}
}

TEST(LotteryRound, WinsTrackTicketsOverManyRounds)
{
	auto set = make_set(
		{make_candidate(1, 1024), make_candidate(2, 3121), make_candidate(3, 335)});
	Scheduler scheduler(DrawPolicy::Lottery, 99);
	WinTally tally;
	const int rounds = 20000;
	for (int i = 0; i < rounds; ++i)
		tally.record(scheduler.run_round(set), set);
	for (const auto &row : tally.rows()) {
		// Binomial: 4 standard deviations is a bound a correct draw
		// breaks about once in 16000 runs, and this seed is fixed.
		double p = row.expected_wins / rounds;
		double sigma = std::sqrt(rounds * p * (1 - p));
		EXPECT_NEAR(double(row.wins), row.expected_wins, 4 * sigma) << "pid " << row.pid;
	}
}

TEST(WinTally, CountsWinsAndPromisedShares)
{
	auto set = make_set({make_candidate(1, 100), make_candidate(2, 300)});
	RoundResult round;
	round.winners = {set.candidates[1]};
	round.winner = round.winners[0];
	WinTally tally;
	tally.record(round, set);
	tally.record(round, set);
	round.winners = {set.candidates[0]};
	round.winner = round.winners[0];
	tally.record(round, set);
	tally.record(RoundResult{}, CandidateSet{}); // a round with nobody to draw

	EXPECT_EQ(tally.rounds(), 4u);
	EXPECT_EQ(tally.total_wins(), 3u);
	auto rows = tally.rows();
	ASSERT_EQ(rows.size(), 2u);
	EXPECT_EQ(rows[0].pid, 2);
	EXPECT_EQ(rows[0].wins, 2u);
	EXPECT_DOUBLE_EQ(rows[0].expected_wins, 3 * 0.75);
	EXPECT_EQ(rows[1].pid, 1);
	EXPECT_EQ(rows[1].wins, 1u);
	EXPECT_DOUBLE_EQ(rows[1].expected_wins, 3 * 0.25);
	EXPECT_EQ(rows[1].comm, "task1");
	EXPECT_EQ(rows[1].tickets, 100u);
}

TEST(WinTally, TiesAreOrderedByPid)
{
	auto set = make_set({make_candidate(5, 1), make_candidate(3, 1)});
	WinTally tally;
	tally.record(RoundResult{}, set);
	auto rows = tally.rows();
	ASSERT_EQ(rows.size(), 2u);
	EXPECT_EQ(rows[0].pid, 3);
	EXPECT_EQ(rows[1].pid, 5);
}
