// SPDX-License-Identifier: MIT
// `lottery --backend bpf` end to end on the host kernel: the tracer loaded in
// a pin directory of this test's own, tasks at known nice values, and the
// JSON the command prints read back.
#include <cmath>
#include <map>
#include <sstream>
#include <sys/stat.h>

#include <bpf/bpf.h>
#include <gtest/gtest.h>
#include <linux/types.h>

#include "engine_json_reader.h"
#include "lottery_task.h"
#include "run_command.h"
#include "sched_trace.h"
#include "task_processes.h"
#include "tickets.h"
#include "tracer_fixture.h"

namespace lottery::testing {
namespace {

using test_support::Json;

struct LotteryRun {
	CommandResult command;
	std::vector<Json> rounds;
	Json summary;
};

// Runs lottery --json with these arguments against the test's tracer.
LotteryRun run_lottery(const ScopedTracer &tracer, std::vector<std::string> args)
{
	std::vector<std::string> argv = {LOTTERY_BIN, "--backend", "bpf", "--pin-dir",
					 tracer.pin_dir(), "--json"};
	argv.insert(argv.end(), args.begin(), args.end());
	LotteryRun run{run_command(argv), {}, {}};
	std::istringstream lines(run.command.out);
	for (std::string line; std::getline(lines, line);) {
		Json object = test_support::parse(line);
		if (object.has("summary"))
			run.summary = object;
		else
			run.rounds.push_back(object);
	}
	return run;
}

std::string str(pid_t pid) { return std::to_string(pid); }

class LotteryBpf : public ::testing::Test {
protected:
	ScopedTracer tracer{"lottery_cli"};
	void SetUp() override { ASSERT_TRUE(tracer.loaded()) << tracer.load_result().err; }
};

TEST_F(LotteryBpf, SpawnedTasksAreCandidatesAndWinnersFollowTickets)
{
	const int nices[] = {-5, 0, 5};
	std::map<pid_t, int> nice_of;
	std::vector<ChildProcess> tasks;
	for (int nice : nices) {
		tasks.push_back(spawn_cpu_task(nice));
		nice_of[tasks.back().pid()] = nice;
	}
	std::vector<std::string> args = {"--rounds", "300", "--seed", "1", "--debug"};
	for (const auto &task : tasks)
		args.insert(args.end(), {"--pid", str(task.pid())});
	args.push_back("2"); // ms between rounds

	// A busy loop is runnable from its first instant: every round sees all three.
	ASSERT_TRUE(wait_until([&] {
		auto snapshot = tracer.open_source()->take_snapshot();
		for (const auto &task : tasks)
			if (!find_task(snapshot, task.pid()))
				return false;
		return true;
	}));
	LotteryRun run = run_lottery(tracer, args);
	ASSERT_EQ(run.command.exit_code, 0) << run.command.err;
	ASSERT_EQ(run.rounds.size(), 300u);

	std::map<pid_t, int> wins;
	std::uint64_t total = 0;
	for (auto t : nice_of)
		total += nice_to_weight(t.second);
	for (const Json &round : run.rounds) {
		for (const Json &candidate : round["candidate_list"].items) {
			pid_t pid = static_cast<pid_t>(candidate["pid"].number);
			ASSERT_TRUE(nice_of.count(pid)) << "not one of ours: " << pid;
			EXPECT_EQ(candidate["nice"].number, nice_of[pid]);
			EXPECT_EQ(candidate["sched_policy"].text, "normal");
			EXPECT_EQ(candidate["tickets"].number, nice_to_weight(nice_of[pid]));
		}
		ASSERT_EQ(round["winner"].kind, Json::Object);
		wins[static_cast<pid_t>(round["winner"]["pid"].number)]++;
	}
	// Each task's wins within 4.5 standard deviations of its binomial mean.
	for (auto [pid, nice] : nice_of) {
		double p = double(nice_to_weight(nice)) / total, n = 300;
		EXPECT_NEAR(wins[pid], n * p, 4.5 * std::sqrt(n * p * (1 - p)) + 1)
			<< "nice " << nice;
	}
	EXPECT_EQ(run.summary["summary"]["rounds"].number, 300);
}

TEST_F(LotteryBpf, SleepingAndExitedTasksAreNotCandidates)
{
	ChildProcess sleeper = spawn_sleeper();
	ChildProcess busy = spawn_cpu_task(0);
	ASSERT_TRUE(wait_until([&] { return proc_state(sleeper.pid()) == 'S'; }));
	pid_t gone = busy.pid();
	busy.kill_and_reap();

	LotteryRun run = run_lottery(tracer, {"--rounds", "2", "--debug", "--pid", str(sleeper.pid()),
					      "--pid", str(gone), "1"});
	ASSERT_EQ(run.command.exit_code, 0) << run.command.err;
	ASSERT_EQ(run.rounds.size(), 2u);
	for (const Json &round : run.rounds) {
		EXPECT_EQ(round["winner"].kind, Json::Null);
		EXPECT_TRUE(round["candidate_list"].items.empty());
		EXPECT_FALSE(round["reason"].text.empty());
	}
}

// A record the kernel never took back (a missed sched_switch) must not be
// announced as a winner, and is marked asleep once found stale.
TEST_F(LotteryBpf, StaleRecordIsNeverAWinnerAndIsDropped)
{
	ChildProcess sleeper = spawn_sleeper();
	ASSERT_TRUE(wait_until([&] { return proc_state(sleeper.pid()) == 'S'; }));
	struct lottery_task fake = {};
	fake.pid = fake.tgid = sleeper.pid();
	fake.last_seen_ns = 1;
	snprintf(fake.comm, sizeof(fake.comm), "stale");
	const __u32 slot = tracer.inject(fake, SCHED_TRACE_SLOT_RUNNABLE);

	LotteryRun run = run_lottery(tracer, {"--rounds", "1", "--pid", str(sleeper.pid())});
	ASSERT_EQ(run.command.exit_code, 0) << run.command.err;
	ASSERT_EQ(run.rounds.size(), 1u);
	EXPECT_EQ(run.rounds[0]["winner"].kind, Json::Null);
	EXPECT_EQ(tracer.slot_state(slot), __u32(SCHED_TRACE_SLOT_ASLEEP)) << "stale record still says runnable";
}

TEST(LotteryBpfPins, UnloadLeavesNoPin)
{
	std::string dir;
	{
		ScopedTracer tracer("lottery_cli_pins");
		ASSERT_TRUE(tracer.loaded());
		dir = tracer.pin_dir();
		LotteryRun run = run_lottery(tracer, {"--rounds", "1", "1"});
		EXPECT_EQ(run.command.exit_code, 0) << run.command.err;
	}
	struct stat st;
	EXPECT_NE(stat(dir.c_str(), &st), 0) << dir << " is still there";
}

// A map too small for the machine (the case: capacity 1, a few busy
// tasks; the one slot goes to whichever thread the tracer saw first): every round drawn while tasks were missing says so, in text,
// --debug and --json, the summary counts those rounds, and the tracer's
// status says the map is full now and how many inserts it refused since
// it loaded.
TEST(LotteryBpfLost, ATruncatedDrawSaysSoInEveryForm)
{
	ScopedTracer tracer("lottery_cli_full", {"--capacity", "1"});
	ASSERT_TRUE(tracer.loaded()) << tracer.load_result().err;
	std::vector<ChildProcess> busy;
	for (int i = 0; i < 4; i++)
		busy.push_back(spawn_cpu_task());

	LotteryRun json = run_lottery(tracer, {"--debug", "--rounds", "5", "20"});
	ASSERT_EQ(json.command.exit_code, 0) << json.command.err;
	ASSERT_EQ(json.rounds.size(), 5u);
	std::uint64_t lost_rounds = 0;
	for (const Json &round : json.rounds) {
		ASSERT_TRUE(round.has("lost_tasks")) << json.command.out;
		ASSERT_TRUE(round.has("misses_since_load")) << json.command.out;
		lost_rounds += round["lost_tasks"].number > 0;
		EXPECT_GE(round["misses_since_load"].number, round["lost_tasks"].number);
	}
	EXPECT_GT(lost_rounds, 0u) << json.command.out;
	EXPECT_EQ(json.summary["summary"]["rounds_with_lost_tasks"].number, double(lost_rounds));
	EXPECT_GT(json.summary["summary"]["misses_since_load"].number, 0);

	std::vector<std::string> argv = {LOTTERY_BIN, "--backend", "bpf", "--pin-dir",
					 tracer.pin_dir(), "--debug", "--rounds", "5", "20"};
	CommandResult text = run_command(argv);
	ASSERT_EQ(text.exit_code, 0) << text.err;
	EXPECT_NE(text.out.find(" missing from this snapshot, "), std::string::npos) << text.out;
	EXPECT_NE(text.out.find("of lottery itself; lost: "), std::string::npos) << text.out;
	EXPECT_NE(text.out.find("\nlost: "), std::string::npos) << "no summary line: " << text.out;

	CommandResult status = tracer.run("status", {});
	EXPECT_NE(status.out.find("FULL, runnable tasks may be missing now"), std::string::npos)
		<< status.out;
	EXPECT_NE(status.out.find("since the tracer loaded"), std::string::npos) << status.out;
	CommandResult status_json = tracer.run("status", {"--json"});
	EXPECT_NE(status_json.out.find("\"full\":true"), std::string::npos) << status_json.out;
}

} // namespace
} // namespace lottery::testing
