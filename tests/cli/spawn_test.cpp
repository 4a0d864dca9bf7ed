// SPDX-License-Identifier: MIT
// lottery-spawn as scripts use it: pids come back on stdout, and --stop
// stops exactly the tasks that were started.
#include <csignal>
#include <cstdlib>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "run_command.h"
#include "workload.h"

using lottery::process_start_time;
using lottery::testing::run_command;

namespace {

std::string temp_state()
{
	char path[] = "/tmp/spawn_test.XXXXXX";
	int fd = mkstemp(path);
	close(fd);
	unlink(path); // the spawner creates it
	return path;
}

TEST(LotterySpawn, StdoutClosesWhenTheSpawnerExits)
{
	std::string state = temp_state();
	// run_command reads stdout to EOF: if the tasks kept the pipe open it
	// would wait out the timeout and kill the spawner (exit 137).
	auto started = run_command({LOTTERY_SPAWN_BIN, "--count", "3", "--min", "0", "--max", "10",
				    "--state", state},
				   std::nullopt, 5000);
	ASSERT_EQ(started.exit_code, 0) << started.err;

	std::istringstream lines(started.out);
	std::vector<int> pids;
	int pid, nice;
	std::vector<int> nices;
	while (lines >> pid >> nice) {
		pids.push_back(pid);
		nices.push_back(nice);
		EXPECT_NE(process_start_time(pid), 0u) << "task " << pid << " is not running";
	}
	EXPECT_EQ(nices, (std::vector<int>{0, 5, 10}));

	auto stopped = run_command({LOTTERY_SPAWN_BIN, "--stop", "--state", state});
	EXPECT_EQ(stopped.exit_code, 0) << stopped.err;
	EXPECT_EQ(stopped.out, "stopped 3 of 3 tasks\n");
	for (int p : pids)
		EXPECT_EQ(process_start_time(p), 0u) << "task " << p << " still runs";
}

TEST(LotterySpawn, SpreadsNiceValuesOverTheRange)
{
	EXPECT_EQ(lottery::spread_nice_values(5, -5, 5), (std::vector<int>{-5, -2, 0, 3, 5}));
	EXPECT_EQ(lottery::spread_nice_values(1, 4, 9), (std::vector<int>{4}));
	EXPECT_EQ(lottery::spread_nice_values(3, -20, 19), (std::vector<int>{-20, 0, 19}));
}

TEST(LotterySpawn, BadArgumentsAreOneLineAndExitTwo)
{
	for (std::vector<std::string> args : {std::vector<std::string>{"--min", "5", "--max", "-5"},
					      {"--count", "0"},
					      {"--count", "x"},
					      {"--duration", "-1"},
					      {"--cou", "3"}}) {
		args.insert(args.begin(), LOTTERY_SPAWN_BIN);
		auto result = run_command(args);
		EXPECT_EQ(result.exit_code, 2) << args[1];
		EXPECT_EQ(lottery::testing::count_lines(result.err), 1) << result.err;
		EXPECT_EQ(result.err.rfind("lottery-spawn: ", 0), 0u) << result.err;
	}
}

TEST(LotterySpawn, StatePathThatIsNotAFileIsRefusedBeforeAnythingStarts)
{
	// A FIFO would block the spawner in open() with its tasks running.
	// No device here: before this check --stop unlinked its state path,
	// whatever it was (a run of the old code deleted /dev/zero).
	const std::string fifo = temp_state() + ".fifo";
	ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
	for (const std::string &state : {fifo, std::string("/")}) {
		for (std::vector<std::string> args : {std::vector<std::string>{"--count", "1"},
						      {"--stop"}}) {
			args.insert(args.begin(), LOTTERY_SPAWN_BIN);
			args.insert(args.end(), {"--state", state});
			auto result = run_command(args, std::nullopt, 5000);
			EXPECT_EQ(result.exit_code, 2) << state << " " << args[1] << ": " << result.err;
			EXPECT_EQ(result.out, "") << "something was started";
			EXPECT_EQ(lottery::testing::count_lines(result.err), 1) << result.err;
			EXPECT_EQ(result.err.rfind("lottery-spawn: --state " + state + ": is ", 0), 0u)
				<< result.err;
		}
	}
	unlink(fifo.c_str());
}

} // namespace
