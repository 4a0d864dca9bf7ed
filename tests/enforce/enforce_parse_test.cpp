// SPDX-License-Identifier: MIT
// The parsers of enforcement's outside data: option values, the tickets
// file, /proc lines and lottery-spawn's state file.
#include <gtest/gtest.h>
#include <unistd.h>

#include "option_values.h"
#include "proc_pid_stat.h"
#include "proc_stat.h"
#include "spawn_state.h"
#include "tickets_file.h"

namespace lottery {
namespace {

using Cpus = std::vector<unsigned>;

TEST(CpuList, ParsesTheKernelsFormatSortedWithoutRepeats)
{
	EXPECT_EQ(parse_cpu_list("0", nullptr), Cpus{0});
	EXPECT_EQ(parse_cpu_list("0-3", nullptr), (Cpus{0, 1, 2, 3}));
	EXPECT_EQ(parse_cpu_list("5,0-1,1", nullptr), (Cpus{0, 1, 5}));
	EXPECT_EQ(parse_cpu_list("1023", nullptr), Cpus{1023});
}

TEST(CpuList, RefusesWhatIsNotAList)
{
	for (const char *bad : {"", "x", "-1", "1-", "3-1", "0,,1", "1024", "0-99999999999999999999",
				" 0", "0 ", "+1"}) {
		std::string error;
		EXPECT_FALSE(parse_cpu_list(bad, &error)) << bad;
		EXPECT_NE(error.find("bad CPU list"), std::string::npos) << bad;
	}
}

TEST(CpuList, FormatsRanges)
{
	EXPECT_EQ(format_cpu_list({}), "");
	EXPECT_EQ(format_cpu_list({0}), "0");
	EXPECT_EQ(format_cpu_list({0, 1, 2, 5, 7, 8}), "0-2,5,7-8");
}

TEST(GroupOption, NamesPidsAndAShare)
{
	auto group = parse_group("web=10,20", 100, nullptr);
	ASSERT_TRUE(group);
	EXPECT_EQ(group->name, "web");
	EXPECT_EQ(group->pids, (std::vector<std::int32_t>{10, 20}));
	EXPECT_EQ(group->funding, 100u);

	group = parse_group("batch.jobs:3=7", 100, nullptr);
	ASSERT_TRUE(group);
	EXPECT_EQ(group->name, "batch.jobs");
	EXPECT_EQ(group->funding, 300u);
}

TEST(GroupOption, RefusesBadSpecsWithAReason)
{
	for (const char *bad : {"web", "=1", "web=", "web=1,", "web=0", "web=x", "a b=1", "web:0=1",
				"web:=1", "web:1000001=1", "web=2147483648",
				"a123456789012345678901234567890123=1"}) {
		std::string error;
		EXPECT_FALSE(parse_group(bad, 1, &error)) << bad;
		EXPECT_FALSE(error.empty()) << bad;
	}
}

TEST(TicketsFile, ReadsPidTicketLinesWithCommentsAndBlanks)
{
	std::string error;
	auto tickets = parse_tickets_file("# pid tickets\n\n12 300\n  13\t40 # web\r\n14 1", &error);
	ASSERT_TRUE(tickets) << error;
	EXPECT_EQ(tickets->by_pid, (std::map<std::int32_t, std::uint64_t>{{12, 300}, {13, 40}, {14, 1}}));
	EXPECT_TRUE(parse_tickets_file("", &error)->by_pid.empty());
}

TEST(TicketsFile, RefusesTheWholeFileAndSaysWhichLine)
{
	struct Case {
		const char *text;
		const char *says;
	};
	for (const Case &c : {Case{"12 300\n13\n", "line 2: expected PID TICKETS, got 1 words"},
			      Case{"12 300 4\n", "line 1: expected PID TICKETS"},
			      Case{"0 300\n", "line 1: '0' is not a pid"},
			      Case{"-1 300\n", "is not a pid"},
			      Case{"12 0\n", "TICKETS must be an integer from 1"},
			      Case{"12 4294967297\n", "TICKETS must be an integer from 1"},
			      Case{"12 1\n12 2\n", "line 2: pid 12 is named twice"},
			      Case{"12=3\n", "expected PID TICKETS"}}) {
		std::string error;
		EXPECT_FALSE(parse_tickets_file(c.text, &error)) << c.text;
		EXPECT_NE(error.find(c.says), std::string::npos) << c.text << " -> " << error;
	}
}

TEST(ProcStat, ParsesTheFieldsEnforcementUses)
{
	// A comm with spaces and a ')' of its own, as /proc prints it.
	const std::string line = "4242 (a b) c) S 1 4242 4242 0 -1 4194560 100 0 0 0 12 3 0 0 "
				 "25 5 3 0 98765 1000 200 18446744073709551615 1 1 0 0 0 0 0 0 0 0 "
				 "0 0 17 1 0 3 0 0 0";
	auto stat = parse_proc_stat(line);
	ASSERT_TRUE(stat);
	EXPECT_EQ(stat->comm, "a b) c");
	EXPECT_EQ(stat->state, 'S');
	EXPECT_EQ(stat->ppid, 1);
	EXPECT_EQ(stat->flags, 4194560u);
	EXPECT_EQ(stat->nice, 5);
	EXPECT_EQ(stat->threads, 3);
	EXPECT_EQ(stat->start_time, 98765u);
	EXPECT_EQ(stat->policy, 3u);
	EXPECT_FALSE(stat->flags & pf_kthread);
}

TEST(ProcStat, RefusesTruncatedOrGarbledLines)
{
	EXPECT_FALSE(parse_proc_stat(""));
	EXPECT_FALSE(parse_proc_stat("1 (init) S 0"));
	EXPECT_FALSE(parse_proc_stat("1 init S 0 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5"));
	EXPECT_FALSE(parse_proc_stat("1 (x)"));
}

// The reader the bpf backend and lottery-spawn use: the running test is
// itself in state R, and a pid that cannot exist reads as gone.
TEST(ProcStat, ReadsALiveTaskAndNotAMissingOne)
{
	auto self = read_proc_stat_of(getpid());
	ASSERT_TRUE(self);
	EXPECT_EQ(self->state, 'R');
	EXPECT_GT(self->start_time, 0u);
	EXPECT_FALSE(self->finished());
	EXPECT_FALSE(read_proc_stat_of(-1));
}

TEST(ProcFiles, SchedstatStatusAndSpawnState)
{
	EXPECT_EQ(parse_schedstat_runtime("123456789 2000 7\n"), 123456789u);
	EXPECT_FALSE(parse_schedstat_runtime("x 1 2"));
	EXPECT_FALSE(parse_schedstat_runtime(""));

	EXPECT_EQ(parse_status_euid("Name:\tx\nUid:\t1000\t65534\t1000\t1000\nGid:\t0\n"), 65534u);
	EXPECT_EQ(parse_status_euid("Uid:\t0\t7\t0\t0"), 7u);
	EXPECT_FALSE(parse_status_euid("Name:\tx\nGid:\t0\t0\n"));

	std::string error;
	auto tasks = parse_spawn_state("100 -5 4000\n\n101 5 4001\n", &error);
	ASSERT_TRUE(tasks) << error;
	ASSERT_EQ(tasks->size(), 2u);
	EXPECT_EQ((*tasks)[1].pid, 101);
	EXPECT_EQ((*tasks)[1].start_time, 4001u);
	EXPECT_FALSE(parse_spawn_state("100 -5\n", &error));
	EXPECT_EQ(error, "line 1: expected 'PID NICE START_TIME'");
	EXPECT_FALSE(parse_spawn_state("0 1 2\n", &error));
}

// lottery-spawn writes what `lottery --enforce --spawned` reads: one unit
// owns both sides, so what is written must come back whole.
TEST(SpawnState, WhatIsWrittenIsReadBack)
{
	std::vector<SpawnedTask> written{{100, -20, 4000}, {2147483647, 19, 18446744073709551615u}};
	std::string error;
	auto read = parse_spawn_state(format_spawn_state(written), &error);
	ASSERT_TRUE(read) << error;
	ASSERT_EQ(read->size(), written.size());
	for (std::size_t i = 0; i < written.size(); i++) {
		EXPECT_EQ((*read)[i].pid, written[i].pid);
		EXPECT_EQ((*read)[i].nice, written[i].nice);
		EXPECT_EQ((*read)[i].start_time, written[i].start_time);
	}
}

} // namespace
} // namespace lottery
