// SPDX-License-Identifier: MIT
// What a run prints when the kernel draws (enforce/kernel_period.h): the
// statistics line of a period and the summary's promised shares.
#include <gtest/gtest.h>

#include "enforce_report.h"
#include "kernel_period.h"

namespace lottery {
namespace {

KernelDraws one_second(std::uint64_t draws)
{
	KernelDraws d;
	d.seconds = 1.0;
	d.draws = draws;
	d.queued = 2;
	return d;
}

TEST(KernelPeriod, LineShowsTheTopProcessesByCpuAgainstTheirTickets)
{
	const std::vector<TaskCounters> counters = {
		{10, "a", 3000, 30, 300000000},
		{11, "b", 1000, 10, 100000000},
		{12, "idle", 500, 0, 0}, // neither ran nor won: not in the line
	};
	EXPECT_EQ(format_kernel_period_text(one_second(40), counters, 5),
		  "draws/s 40, queued 2; 10 a tickets 3000 wins 30 cpu 75.0% promised 75.0%; "
		  "11 b tickets 1000 wins 10 cpu 25.0% promised 25.0%");
	// Shares stay among every process that ran, the line shows the top one.
	EXPECT_EQ(format_kernel_period_text(one_second(40), counters, 1),
		  "draws/s 40, queued 2; 10 a tickets 3000 wins 30 cpu 75.0% promised 75.0%");
	EXPECT_EQ(format_kernel_period_line(one_second(40), counters, 1, false),
		  "lottery: " + format_kernel_period_text(one_second(40), counters, 1));
	const std::string json = format_kernel_period_line(one_second(40), counters, 5, true);
	EXPECT_EQ(json.front(), '{');
	EXPECT_NE(json.find("\"draws\":40"), std::string::npos) << json;
	EXPECT_NE(json.find("{\"pid\":11,\"comm\":\"b\",\"tickets\":1000,\"wins\":10,\"cpu_ns\":100000000,"
			    "\"cpu_share\":0.25,\"promised_share\":0.25}"),
		  std::string::npos)
		<< json;
}

// Tickets changed between two periods of equal wins (a tickets file reread):
// what was promised is what each period asked, not the last tickets.
TEST(KernelPeriod, TallyPromisesEachPeriodsWinsByThatPeriodsTickets)
{
	KernelTally tally;
	tally.record({{10, "a", 3000, 75, 1}, {11, "b", 1000, 25, 1}});
	tally.record({{10, "a", 1000, 50, 1}, {11, "b", 1000, 50, 1}});
	tally.record({{12, "c", 1000, 0, 0}}); // never ran
	tally.record_draws(100);
	tally.record_draws(100);
	std::vector<CpuRow> rows = {{11, "b", 0, 75, 0, 7}, {10, "a", 0, 125, 0, 9}, {12, "c"}};
	tally.fill(rows);
	ASSERT_EQ(rows.size(), 3u);
	EXPECT_EQ(rows[0].pid, 10);
	EXPECT_EQ(rows[0].tickets, 1000u); // as last drawn
	EXPECT_EQ(rows[0].wins, 125u);	   // the kernel's, untouched
	EXPECT_DOUBLE_EQ(rows[0].promised_share, (75.0 + 50.0) / 200.0);
	EXPECT_DOUBLE_EQ(rows[1].promised_share, (25.0 + 50.0) / 200.0);
	EXPECT_DOUBLE_EQ(rows[2].promised_share, 0.0);
	EXPECT_EQ(tally.draws(), 200u);
}

TEST(KernelPeriod, SummarySaysWhoseCpuTimeItCounts)
{
	const std::vector<CpuRow> rows = {{1, "init", 1024, 3, 0, 1000000000}};
	EXPECT_EQ(format_cpu_summary_text(rows, 3).substr(0, 66),
		  "summary: 3 rounds, 1.00 s of CPU time among the managed processes\n");
	const std::string whole = format_cpu_summary_text(rows, 3, nullptr, "the machine's 20 busiest processes");
	EXPECT_EQ(whole.substr(0, whole.find('\n')),
		  "summary: 3 rounds, 1.00 s of CPU time among the machine's 20 busiest processes");
}

} // namespace
} // namespace lottery
