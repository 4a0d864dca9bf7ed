// SPDX-License-Identifier: MIT
#include <cmath>
#include <map>
#include <set>

#include <gtest/gtest.h>

#include "draw.h"

using namespace lottery;

namespace {

// Upper 0.1% points of the chi-square distribution for small degrees of
// freedom (standard tables); Wilson-Hilferty's approximation above.
double chi_square_critical_p001(std::size_t df)
{
	static const double table[] = {0,      10.828, 13.816, 16.266, 18.467, 20.515,
				       22.458, 24.322, 26.124, 27.877, 29.588};
	if (df < std::size(table))
		return table[df];
	const double z = 3.090232, k = double(df);
	return k * std::pow(1 - 2 / (9 * k) + z * std::sqrt(2 / (9 * k)), 3);
}

double chi_square(const std::vector<std::uint64_t> &observed, const std::vector<double> &expected)
{
	double sum = 0;
	for (std::size_t i = 0; i < observed.size(); ++i) {
		double d = double(observed[i]) - expected[i];
		sum += d * d / expected[i];
	}
	return sum;
}

void expect_draws_follow_tickets(const std::vector<std::uint64_t> &tickets, std::size_t draws,
				 std::uint64_t seed)
{
	TicketTable table(tickets);
	Rng rng(seed);
	std::vector<std::uint64_t> counts(tickets.size());
	for (std::size_t i = 0; i < draws; ++i)
		++counts[table.draw(rng)];
	std::vector<double> expected;
	for (auto t : tickets) {
		expected.push_back(double(draws) * double(t) / double(table.total()));
		ASSERT_GE(expected.back(), 5.0) << "test too small for chi-square";
	}
	double stat = chi_square(counts, expected);
	EXPECT_LT(stat, chi_square_critical_p001(tickets.size() - 1))
		<< "draws do not follow tickets (seed " << seed << ")";
}

// Every item owns exactly w_i * n units of the table: its own bucket's
// share below the threshold, plus the rest of each bucket naming it alias.
// Counted in 128 bits, so it holds for tables of any size.
void expect_units_match_tickets(const std::vector<std::uint64_t> &tickets)
{
	TicketTable table(tickets);
	std::vector<unsigned __int128> units(table.size());
	for (std::size_t b = 0; b < table.size(); ++b) {
		units[b] += table.threshold(b);
		if (table.threshold(b) < table.total())
			units[table.alias(b)] += table.total() - table.threshold(b);
	}
	for (std::size_t i = 0; i < tickets.size(); ++i)
		ASSERT_TRUE(units[i] == static_cast<unsigned __int128>(tickets[i]) * tickets.size())
			<< "item " << i;	EXPECT_EQ(table.tickets(), tickets);
}

} // namespace

TEST(Rng, SameSeedSameSequenceAsAnIndependentImplementation)
{
	// First outputs of splitmix64-seeded xoshiro256**, computed by a
	// separate Python implementation of the published algorithms.
	Rng rng(42);
	EXPECT_EQ(rng.next(), 0x15780b2e0c2ec716u);
	EXPECT_EQ(rng.next(), 0x6104d9866d113a7eu);
	EXPECT_EQ(rng.next(), 0xae17533239e499a1u);
	Rng zero(0);
	EXPECT_EQ(zero.next(), 0x99ec5f36cb75f2b4u);
	Rng bounded(7);
	const std::uint64_t expected[] = {700, 278, 839, 981, 990};
	for (auto e : expected)
		EXPECT_EQ(bounded.below(1000), e);
}

TEST(Rng, BelowStaysInRangeAndIsUniform)
{
	Rng rng(1);
	EXPECT_EQ(rng.below(1), 0u);
	std::vector<std::uint64_t> counts(7);
	const std::size_t draws = 70000;
	for (std::size_t i = 0; i < draws; ++i) {
		auto v = rng.below(7);
		ASSERT_LT(v, 7u);
		++counts[v];
	}
	EXPECT_LT(chi_square(counts, std::vector<double>(7, draws / 7.0)),
		  chi_square_critical_p001(6));
	const std::uint64_t huge = (std::uint64_t{1} << 63) + 12345;
	for (int i = 0; i < 1000; ++i)
		ASSERT_LT(rng.below(huge), huge);
}

TEST(TicketTable, EveryPairOfBucketAndUnitIsAccountedForExactly)
{
	const std::vector<std::uint64_t> tickets = {1, 3, 15, 1024, 7, 0, 88};
	TicketTable table(tickets);
	const std::size_t n = tickets.size();
	ASSERT_EQ(table.total(), 1138u);
	std::vector<std::uint64_t> owned(n);
	for (std::size_t bucket = 0; bucket < n; ++bucket)
		for (std::uint64_t u = 0; u < table.total(); ++u)
			++owned[u < table.threshold(bucket) ? bucket : table.alias(bucket)];
	for (std::size_t i = 0; i < n; ++i)
		EXPECT_EQ(owned[i], tickets[i] * n) << "item " << i;
}

TEST(TicketTable, ExactAlsoWhenUnitsNeed128Bits)
{
	const std::uint64_t big = std::uint64_t{1} << 61;
	expect_units_match_tickets({big, 3 * big, 1, 2 * big + 5, 17});
}

TEST(TicketTable, LargeTablesAreExactToo)
{
	std::vector<std::uint64_t> tickets;
	Rng rng(3);
	for (int i = 0; i < 5000; ++i)
		tickets.push_back(1 + rng.below(i % 10 == 0 ? std::uint64_t{1} << 32 : 100));
	expect_units_match_tickets(tickets);
}

TEST(TicketTable, DrawsFollowTicketsChiSquare)
{
	// Idle weight, nice 19, nice 0, nice -20 and a large override.
	expect_draws_follow_tickets({3, 15, 1024, 88761, 300000}, 1000000, 2024);
	std::vector<std::uint64_t> many;
	for (std::uint64_t i = 0; i < 1000; ++i)
		many.push_back(1000 + (i * 7919) % 4000);
	expect_draws_follow_tickets(many, 1000000, 99);
}

TEST(TicketTable, ZeroTicketsAreNeverDrawn)
{
	TicketTable table(std::vector<std::uint64_t>{0, 5, 0, 1});
	Rng rng(5);
	for (int i = 0; i < 10000; ++i) {
		auto pick = table.draw(rng);
		ASSERT_TRUE(pick == 1 || pick == 3) << pick;
	}
}

TEST(TicketTable, RefusesWhatCannotBeDrawn)
{
	EXPECT_THROW(TicketTable(std::vector<std::uint64_t>{0, 0}), std::invalid_argument);
	EXPECT_THROW(TicketTable(std::vector<std::uint64_t>{~std::uint64_t{0}, 1}),
		     std::overflow_error);
	TicketTable empty(std::vector<std::uint64_t>{});
	EXPECT_TRUE(empty.empty());
	TicketTable single(std::vector<std::uint64_t>{9});
	Rng rng(1);
	EXPECT_EQ(single.draw(rng), 0u);
}

TEST(TicketTable, SameSeedSameWinners)
{
	TicketTable table(std::vector<std::uint64_t>{10, 20, 30, 40});
	Rng a(77), b(77), c(78);
	std::vector<std::size_t> wa, wb, wc;
	for (int i = 0; i < 100; ++i) {
		wa.push_back(table.draw(a));
		wb.push_back(table.draw(b));
		wc.push_back(table.draw(c));
	}
	EXPECT_EQ(wa, wb);
	EXPECT_NE(wa, wc);
}

TEST(DrawDistinct, WinnersAreDifferentAndCappedByItemsWithTickets)
{
	TicketTable table(std::vector<std::uint64_t>{5, 0, 1, 9, 2});
	Rng rng(11);
	for (int round = 0; round < 1000; ++round) {
		auto winners = table.draw_distinct(rng, 3);
		ASSERT_EQ(winners.size(), 3u);
		std::set<std::size_t> unique(winners.begin(), winners.end());
		ASSERT_EQ(unique.size(), 3u);
		ASSERT_FALSE(unique.count(1)) << "0 tickets won";
	}
	EXPECT_EQ(table.draw_distinct(rng, 10).size(), 4u);
}

TEST(DrawDistinct, OrderedPairsFollowSequentialDrawsWithoutReplacement)
{
	const std::vector<double> w = {1, 2, 5};
	TicketTable table(std::vector<std::uint64_t>{1, 2, 5});
	Rng rng(8);
	const std::size_t rounds = 200000;
	std::map<std::pair<std::size_t, std::size_t>, std::uint64_t> seen;
	for (std::size_t r = 0; r < rounds; ++r) {
		auto winners = table.draw_distinct(rng, 2);
		++seen[{winners[0], winners[1]}];
	}
	std::vector<std::uint64_t> observed;
	std::vector<double> expected;
	for (std::size_t i = 0; i < 3; ++i)
		for (std::size_t j = 0; j < 3; ++j)
			if (i != j) {
				observed.push_back(seen[{i, j}]);
				expected.push_back(rounds * w[i] / 8 * w[j] / (8 - w[i]));
			}
	EXPECT_LT(chi_square(observed, expected), chi_square_critical_p001(5));
}

TEST(DrawDistinct, FallbackAfterADominantWinnerKeepsTheOdds)
{
	// Item 0 holds nearly every ticket, so drawing a second winner by
	// rejection almost always gives up and scans what is left.
	TicketTable table(std::vector<std::uint64_t>{100000000, 1, 2});
	Rng rng(21);
	std::vector<std::uint64_t> second(3);
	const std::size_t rounds = 30000;
	for (std::size_t r = 0; r < rounds; ++r) {
		auto winners = table.draw_distinct(rng, 2);
		ASSERT_EQ(winners[0], 0u);
		++second[winners[1]];
	}
	EXPECT_EQ(second[0], 0u);
	EXPECT_LT(chi_square({second[1], second[2]}, {rounds / 3.0, 2 * rounds / 3.0}),
		  chi_square_critical_p001(1));
}
