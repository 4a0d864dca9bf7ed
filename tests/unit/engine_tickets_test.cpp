// SPDX-License-Identifier: MIT
#include <cmath>

#include <gtest/gtest.h>

#include "tickets.h"

using namespace lottery;

namespace {

RunnableTask task(std::int32_t pid, std::int32_t tgid, int nice = 0,
		  SchedPolicy policy = SchedPolicy::Normal)
{
	RunnableTask t;
	t.pid = pid;
	t.tgid = tgid;
	t.nice = nice;
	t.policy = policy;
	return t;
}

} // namespace

TEST(NiceToWeight, MatchesKernelTableAtSpotValues)
{
	EXPECT_EQ(nice_to_weight(-20), 88761u);
	EXPECT_EQ(nice_to_weight(-10), 9548u);
	EXPECT_EQ(nice_to_weight(-5), 3121u);
	EXPECT_EQ(nice_to_weight(-1), 1277u);
	EXPECT_EQ(nice_to_weight(0), 1024u);
	EXPECT_EQ(nice_to_weight(1), 820u);
	EXPECT_EQ(nice_to_weight(5), 335u);
	EXPECT_EQ(nice_to_weight(10), 110u);
	EXPECT_EQ(nice_to_weight(19), 15u);
}

TEST(NiceToWeight, NeighboursDifferByAboutOneAndAQuarter)
{
	// The kernel's table is about 1024 * 1.25^-nice: rounding at the small
	// end puts neighbour ratios between 1.2 (18/15) and 1.28 (23/18).
	for (int nice = -20; nice < 19; ++nice) {
		double ratio = double(nice_to_weight(nice)) / double(nice_to_weight(nice + 1));
		EXPECT_GE(ratio, 1.19) << "nice " << nice;
		EXPECT_LE(ratio, 1.29) << "nice " << nice;
		EXPECT_GT(nice_to_weight(nice), nice_to_weight(nice + 1))
			<< "not monotonic at " << nice;
	}
	for (int nice = -20; nice <= 19; ++nice) {
		double ideal = 1024.0 * std::pow(1.25, -nice);
		EXPECT_NEAR(double(nice_to_weight(nice)) / ideal, 1.0, 0.06) << "nice " << nice;
	}
}

TEST(NiceToWeight, ClampsOutOfRangeValuesLikeSetpriority)
{
	EXPECT_EQ(nice_to_weight(-100), nice_to_weight(-20));
	EXPECT_EQ(nice_to_weight(40), nice_to_weight(19));
}

TEST(DefaultTickets, FollowPolicy)
{
	EXPECT_EQ(default_tickets(task(1, 1, -5)), 3121u);
	EXPECT_EQ(default_tickets(task(1, 1, 7, SchedPolicy::Batch)), nice_to_weight(7));
	EXPECT_EQ(default_tickets(task(1, 1, -20, SchedPolicy::Idle)), idle_weight);
	EXPECT_EQ(idle_weight, 3u);
	EXPECT_EQ(default_tickets(task(1, 1, 0, SchedPolicy::Fifo)), 1024u);
}

TEST(TicketOverrides, MatchPidThenTgid)
{
	TicketOverrides overrides;
	overrides.by_pid[100] = 7;
	EXPECT_EQ(overrides.find(task(100, 100)), 7u);
	EXPECT_EQ(overrides.find(task(101, 100)), 7u) << "a thread of process 100";
	EXPECT_FALSE(overrides.find(task(102, 102)).has_value());

	// A thread's own pid wins over its process.
	overrides.by_pid[101] = 50;
	EXPECT_EQ(overrides.find(task(101, 100)), 50u);
	EXPECT_EQ(overrides.find(task(103, 100)), 7u);
}

TEST(ParseTicketOverride, AcceptsWellFormedPairs)
{
	std::string error;
	auto parsed = parse_ticket_override("1234=500", &error);
	ASSERT_TRUE(parsed) << error;
	EXPECT_EQ(parsed->first, 1234);
	EXPECT_EQ(parsed->second, 500u);

	parsed = parse_ticket_override("2147483647=4294967296", &error);
	ASSERT_TRUE(parsed) << error;
	EXPECT_EQ(parsed->first, 2147483647);
	EXPECT_EQ(parsed->second, max_override_tickets);
	EXPECT_TRUE(parse_ticket_override("7=1", nullptr));
}

TEST(ParseTicketOverride, RefusesMalformedInputWithAReason)
{
	struct Case {
		const char *input;
		const char *reason;
	};
	const Case cases[] = {
		{"", "expected PID=TICKETS"},
		{"1234", "expected PID=TICKETS"},
		{"=5", "PID must be a positive integer"},
		{"0=5", "PID must be a positive integer"},
		{"-3=5", "PID must be a positive integer"},
		{"+3=5", "PID must be a positive integer"},
		{" 3=5", "PID must be a positive integer"},
		{"2147483648=5", "PID must be a positive integer"},
		{"abc=5", "PID must be a positive integer"},
		{"3=", "TICKETS must be an integer from 1 to 4294967296"},
		{"3=0", "TICKETS must be an integer from 1 to"},
		{"3=4294967297", "TICKETS must be an integer from 1 to"},
		{"3=99999999999999999999999", "TICKETS must be an integer"},
		{"3=-1", "TICKETS must be an integer"},
		{"3=5=6", "TICKETS must be an integer"},
		{"3=5 ", "TICKETS must be an integer"},
		{"3=1.5", "TICKETS must be an integer"},
	};
	for (const auto &c : cases) {
		std::string error;
		EXPECT_FALSE(parse_ticket_override(c.input, &error)) << c.input;
		EXPECT_NE(error.find(c.reason), std::string::npos) << c.input << " -> " << error;
	}
}

TEST(ParseTicketOverride, QuotesHostileInputPrintably)
{
	std::string error;
	std::string input("1\x1b[2J\n\xff", 7);
	EXPECT_FALSE(parse_ticket_override(input, &error));
	for (char c : error)
		EXPECT_TRUE(c >= 0x20 && c < 0x7f) << "unprintable byte in: " << error;
	EXPECT_NE(error.find("\\x1b"), std::string::npos) << error;
	EXPECT_NE(error.find("\\xff"), std::string::npos) << error;
}
