// SPDX-License-Identifier: MIT
#include <clocale>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include <gtest/gtest.h>

#include "engine_json_reader.h"
#include "report.h"

using namespace lottery;
using lottery::test_support::Json;
using lottery::test_support::parse;

namespace {

Candidate candidate(std::int32_t pid, std::string comm, int nice, std::uint64_t tickets)
{
	Candidate c;
	c.task.pid = pid;
	c.task.tgid = pid;
	c.task.comm = std::move(comm);
	c.task.nice = nice;
	c.task.cpu = 1;
	c.tickets = tickets;
	return c;
}

// Five candidates with 10986 tickets, pid 1234 holding 3121 of them.
CandidateSet sample_set()
{
	CandidateSet set;
	set.candidates = {candidate(1200, "a", 0, 1024), candidate(1234, "cpu_task", -5, 3121),
			  candidate(1300, "b", -4, 2501), candidate(1301, "c", -3, 1991),
			  candidate(1400, "d", -2, 2349)};
	set.total_tickets = sum_tickets(set.candidates);
	RunnableTask rt;
	rt.pid = rt.tgid = 99;
	rt.comm = "pipewire";
	rt.policy = SchedPolicy::Fifo;
	set.realtime.push_back(rt);
	set.excluded_kernel_threads = 10;
	set.excluded_by_filter = 2;
	return set;
}

RoundResult numbered(std::uint64_t round)
{
	RoundResult r;
	r.round = round;
	return r;
}

// Switches LC_NUMERIC to a locale whose decimal point is a comma, compiling
// one with localedef when none is installed (Debian installs none).
bool use_decimal_comma_locale()
{
	for (const char *name : {"de_DE.UTF-8", "fr_FR.UTF-8"})
		if (std::setlocale(LC_NUMERIC, name))
			return true;
	const std::string dir = ::testing::TempDir() + "lottery-locale";
	const std::string command = "mkdir -p '" + dir + "' && localedef -i de_DE -f UTF-8 '" +
				    dir + "/de_DE.UTF-8' >/dev/null 2>&1";
	if (std::system(command.c_str()) != 0)
		return false;
	setenv("LOCPATH", dir.c_str(), 1);
	return std::setlocale(LC_NUMERIC, "de_DE.UTF-8") != nullptr;
}

RoundResult won_by(const CandidateSet &set, std::size_t index, std::uint64_t round)
{
	RoundResult r;
	r.round = round;
	r.winners = {set.candidates[index]};
	r.winner = r.winners[0];
	r.total_tickets = set.total_tickets;
	r.candidate_count = set.candidates.size();
	return r;
}

// A round drawn while the source missed runnable tasks says so in every
// form, and the two numbers keep "missing now" and "since load" apart.
TEST(LostTasks, EveryRoundThatMissedTasksSaysSoInTextDebugAndJson)
{
	auto set = sample_set();
	set.lost_tasks = 4;
	set.misses_since_load = 58;
	auto round = won_by(set, 1, 3);
	round.lost_tasks = set.lost_tasks;
	round.misses_since_load = set.misses_since_load;
	EXPECT_EQ(format_round_text(round),
		  "round 3: winner pid 1234 (cpu_task) nice -5 tickets 3121 share 28.4% of "
		  "10986 tickets, 5 candidates; lost: 4 runnable tasks missing from this snapshot, "
		  "58 misses since the tracer loaded");
	auto empty = numbered(8);
	empty.lost_tasks = 1;
	EXPECT_EQ(format_round_text(empty, "no runnable tasks in the snapshot"),
		  "round 8: no winner: no runnable tasks in the snapshot; lost: 1 runnable task "
		  "missing from this snapshot");
	auto table = format_candidate_table(set);
	EXPECT_NE(table.find("of lottery itself; lost: 4 runnable tasks missing from this snapshot, "
			     "58 misses since the tracer loaded\n"),
		  std::string::npos)
		<< table;
	Json doc = parse(format_round_json(round, &set));
	EXPECT_EQ(doc["lost_tasks"].number, 4);
	EXPECT_EQ(doc["misses_since_load"].number, 58);

	// With none missing now the table keeps the history, without a "lost".
	set.lost_tasks = 0;
	EXPECT_NE(format_candidate_table(set).find("of lottery itself; 58 misses since the tracer loaded\n"),
		  std::string::npos)
		<< format_candidate_table(set);
	// Old misses alone do not make this round's draw a truncated one.
	auto whole = won_by(sample_set(), 1, 4);
	whole.misses_since_load = 58;
	EXPECT_EQ(format_round_text(whole).find("lost"), std::string::npos);
	EXPECT_EQ(parse(format_round_json(whole, nullptr))["lost_tasks"].number, 0);
}

TEST(LostTasks, SummaryCountsTheRoundsDrawnWithTasksMissing)
{
	auto set = sample_set();
	WinTally tally;
	for (std::uint64_t lost : {0, 3, 0, 5}) {
		auto round = won_by(set, 1, tally.rounds() + 1);
		round.lost_tasks = lost;
		round.misses_since_load = 20 + lost;
		tally.record(round, set);
	}
	auto text = format_summary_text(tally);
	EXPECT_NE(text.find("\nlost: 2 of 4 rounds were drawn with runnable tasks missing from the "
			    "snapshot (at most 5 in one round); 25 misses since the tracer loaded\n"),
		  std::string::npos)
		<< text;
	Json doc = parse(format_summary_json(tally));
	EXPECT_EQ(doc["rounds_with_lost_tasks"].number, 2);
	EXPECT_EQ(doc["most_lost_tasks"].number, 5);
	EXPECT_EQ(doc["misses_since_load"].number, 25);

	WinTally clean;
	clean.record(won_by(set, 1, 1), set);
	EXPECT_EQ(format_summary_text(clean).find("lost"), std::string::npos);
}

} // namespace

TEST(RoundText, OneLineWithWinnerShareAndCandidates)
{
	auto set = sample_set();
	ASSERT_EQ(set.total_tickets, 10986u);
	EXPECT_EQ(format_round_text(won_by(set, 1, 3)),
		  "round 3: winner pid 1234 (cpu_task) nice -5 tickets 3121 share 28.4% of "
		  "10986 tickets, 5 candidates");
	EXPECT_EQ(format_round_text(numbered(7)), "round 7: no winner: no candidates");
	EXPECT_EQ(format_round_text(numbered(7), "all filtered"),
		  "round 7: no winner: all filtered");
}

TEST(RoundText, EscapesHostileTaskNames)
{
	auto set = sample_set();
	set.candidates[1].task.comm = std::string("ev\x1b[1mil\n\xe9", 10);
	auto line = format_round_text(won_by(set, 1, 1));
	EXPECT_NE(line.find("(ev\\x1b[1mil\\x0a\\xe9)"), std::string::npos) << line;
	EXPECT_EQ(line.find('\n'), std::string::npos);
}

TEST(RoundText, NumbersIgnoreTheLocale)
{
	if (!use_decimal_comma_locale())
		GTEST_SKIP() << "no locale with a decimal comma, and localedef could not make one";
	char probe[16];
	std::snprintf(probe, sizeof(probe), "%.1f", 0.5);
	ASSERT_STREQ(probe, "0,5") << "the locale did not take effect";
	auto set = sample_set();
	auto line = format_round_text(won_by(set, 1, 3));
	auto json = format_round_json(won_by(set, 1, 3), nullptr);
	std::setlocale(LC_NUMERIC, "C");
	EXPECT_NE(line.find("28.4%"), std::string::npos) << line;
	EXPECT_NO_THROW(parse(json)) << json;
}

TEST(CandidateTable, ListsCandidatesThenRealtimeNotDrawn)
{
	auto table = format_candidate_table(sample_set());
	EXPECT_EQ(table.substr(0, table.find('\n')),
		  "    PID    TGID COMM             NICE POLICY    CPU     TICKETS     SHARE");
	EXPECT_NE(table.find("   1234    1234 cpu_task           -5 normal      1        3121     "
			     "28.4%"),
		  std::string::npos)
		<< table;
	EXPECT_NE(table.find("pipewire            0 fifo        0           - not drawn"),
		  std::string::npos)
		<< table;
	EXPECT_NE(table.find("5 candidates, 10986 tickets; left out: 10 kernel threads, 2 by the "
			     "filters, 0 of lottery itself"),
		  std::string::npos)
		<< table;
}

TEST(RoundJson, WinnerObjectHasEveryField)
{
	auto set = sample_set();
	auto line = format_round_json(won_by(set, 1, 3), nullptr);
	EXPECT_EQ(line.find('\n'), std::string::npos);
	Json doc = parse(line);
	EXPECT_EQ(doc["round"].number, 3);
	const Json &winner = doc["winner"];
	EXPECT_EQ(winner["pid"].number, 1234);
	EXPECT_EQ(winner["tgid"].number, 1234);
	EXPECT_EQ(winner["comm"].text, "cpu_task");
	EXPECT_EQ(winner["nice"].number, -5);
	EXPECT_EQ(winner["sched_policy"].text, "normal");
	EXPECT_EQ(winner["tickets"].number, 3121);
	EXPECT_DOUBLE_EQ(winner["share"].number, 3121.0 / 10986.0);
	EXPECT_EQ(doc["total_tickets"].number, 10986);
	EXPECT_EQ(doc["candidates"].number, 5);
	EXPECT_FALSE(doc.has("candidate_list"));
	EXPECT_FALSE(doc.has("winners"));
}

TEST(RoundJson, CandidateListAndRealtimeWithDebug)
{
	auto set = sample_set();
	Json doc = parse(format_round_json(won_by(set, 0, 1), &set));
	const Json &list = doc["candidate_list"];
	ASSERT_EQ(list.kind, Json::Array);
	ASSERT_EQ(list.items.size(), 5u);
	for (std::size_t i = 0; i < 5; ++i) {
		EXPECT_EQ(list.items[i]["pid"].number, set.candidates[i].task.pid);
		EXPECT_EQ(list.items[i]["tickets"].number, double(set.candidates[i].tickets));
		EXPECT_EQ(list.items[i]["nice"].number, set.candidates[i].task.nice);
	}
	ASSERT_EQ(doc["realtime"].items.size(), 1u);
	EXPECT_EQ(doc["realtime"].items[0]["sched_policy"].text, "fifo");
	EXPECT_FALSE(doc["realtime"].items[0].has("tickets"));
}

TEST(RoundJson, NoWinnerIsNullWithAReason)
{
	Json doc = parse(format_round_json(numbered(4), nullptr, "no runnable \"tasks\""));
	EXPECT_EQ(doc["winner"].kind, Json::Null);
	EXPECT_EQ(doc["reason"].text, "no runnable \"tasks\"");
	EXPECT_EQ(doc["candidates"].number, 0);
}

TEST(RoundJson, SeveralWinnersAreListed)
{
	auto set = sample_set();
	auto round = won_by(set, 0, 2);
	round.winners.push_back(set.candidates[3]);
	Json doc = parse(format_round_json(round, nullptr));
	ASSERT_EQ(doc["winners"].items.size(), 2u);
	EXPECT_EQ(doc["winners"].items[1]["pid"].number, 1301);
	EXPECT_EQ(doc["winner"]["pid"].number, 1200);
}

TEST(RoundJson, EveryByteOfACommSurvivesEscaping)
{
	auto set = sample_set();
	std::string all_bytes;
	for (int b = 1; b < 256; ++b)
		all_bytes += char(b);
	for (const std::string &comm :
	     {std::string("q\"uo\\te"), std::string("tab\there"), all_bytes}) {
		set.candidates[1].task.comm = comm;
		auto line = format_round_json(won_by(set, 1, 1), &set);
		Json doc;
		ASSERT_NO_THROW(doc = parse(line)) << line;
		EXPECT_EQ(doc["winner"]["comm"].text, comm);
		EXPECT_EQ(doc["candidate_list"].items[1]["comm"].text, comm);
	}
	set.candidates[1].task.comm = "a\"b\\c\x01\x7f\xff";
	auto line = format_round_json(won_by(set, 1, 1), nullptr);
	EXPECT_NE(line.find(R"("comm":"a\"b\\c\u0001\u007f\u00ff")"), std::string::npos) << line;
}

TEST(Summary, TextShowsObservedAgainstPromised)
{
	auto set = sample_set();
	WinTally tally;
	for (int i = 0; i < 3; ++i)
		tally.record(won_by(set, 1, i + 1), set);
	tally.record(won_by(set, 4, 4), set);
	auto text = format_summary_text(tally);
	EXPECT_EQ(text.substr(0, text.find('\n')), "summary: 4 rounds, 4 wins");
	// 3 of 4 wins; promised 3121/10986 = 28.4%.
	EXPECT_NE(
		text.find("   1234 cpu_task           -5        3121        3      75.0      28.4"),
		std::string::npos)
		<< text;
	EXPECT_NE(text.find("PID COMM             NICE     TICKETS     WINS OBSERVED% PROMISED%"),
		  std::string::npos)
		<< text;
}

TEST(Summary, JsonSharesAddUp)
{
	auto set = sample_set();
	WinTally tally;
	for (int i = 0; i < 5; ++i)
		tally.record(won_by(set, std::size_t(i % 2), i + 1), set);
	Json doc = parse(format_summary_json(tally));
	EXPECT_EQ(doc["rounds"].number, 5);
	EXPECT_EQ(doc["wins"].number, 5);
	double observed = 0, promised = 0, expected = 0;
	for (const auto &task : doc["tasks"].items) {
		observed += task["observed_share"].number;
		promised += task["promised_share"].number;
		expected += task["expected_wins"].number;
	}
	EXPECT_NEAR(observed, 1.0, 1e-12);
	EXPECT_NEAR(promised, 1.0, 1e-12);
	EXPECT_NEAR(expected, 5.0, 1e-9);
	EXPECT_EQ(doc["tasks"].items[0]["pid"].number, 1200); // 3 wins
	EXPECT_EQ(doc["tasks"].items[0]["wins"].number, 3);
}
