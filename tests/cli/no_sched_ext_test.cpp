// SPDX-License-Identifier: MIT
// The kernel mechanism on a kernel without sched_ext (Debian 12's 6.1, this
// host's): every way of asking for it ends with one line that says the
// kernel lacks sched_ext and what the signal mode offers instead, exit 1,
// and a managed process exactly as it was: running, its policy and its
// affinity untouched, no guardian left behind.
#include <filesystem>
#include <sched.h>

#include <gtest/gtest.h>

#include "run_command.h"
#include "sched_policy.h"
#include "task_processes.h"

namespace lottery::testing {
namespace {

class NoSchedExt : public ::testing::Test {
protected:
	void SetUp() override
	{
		if (std::filesystem::exists("/sys/kernel/sched_ext"))
			GTEST_SKIP() << "this kernel has sched_ext: the VM tests cover it";
	}

	static void expect_refused(const std::vector<std::string> &args)
	{
		std::vector<std::string> argv = {LOTTERY_BIN};
		argv.insert(argv.end(), args.begin(), args.end());
		auto result = run_command(argv);
		EXPECT_EQ(result.exit_code, 1) << result.err;
		EXPECT_EQ(count_lines(result.err), 1) << result.err;
		EXPECT_NE(result.err.find("has no sched_ext"), std::string::npos) << result.err;
		EXPECT_NE(result.err.find("--mechanism signals"), std::string::npos) << result.err;
		EXPECT_EQ(result.out, "");
	}
};

TEST_F(NoSchedExt, WholeMachineSaysSoInOneLine)
{
	expect_refused({"--whole-machine"});
	expect_refused({"--whole-machine", "--policy", "stride", "100"});
}

TEST_F(NoSchedExt, ManagedSetIsLeftAsItWas)
{
	ChildProcess task = spawn_cpu_task(3, SCHED_BATCH);
	cpu_set_t before, after;
	ASSERT_EQ(sched_getaffinity(task.pid(), sizeof(before), &before), 0);

	expect_refused({"--enforce", "--mechanism", "kernel", "--pid", std::to_string(task.pid()),
			"--cpus", "0"});

	auto policy = read_sched_policy(task.pid());
	ASSERT_TRUE(policy);
	EXPECT_EQ(policy->policy, SCHED_BATCH);
	EXPECT_EQ(policy->nice, 3);
	ASSERT_EQ(sched_getaffinity(task.pid(), sizeof(after), &after), 0);
	EXPECT_TRUE(CPU_EQUAL(&before, &after));
	EXPECT_EQ(proc_state(task.pid()), 'R');
}

TEST_F(NoSchedExt, RunStartsNoCommand)
{
	const std::string marker = ::testing::TempDir() + "/no_sched_ext_ran";
	std::filesystem::remove(marker);
	expect_refused({"run", "--mechanism", "kernel", "--", "touch", marker});
	EXPECT_FALSE(std::filesystem::exists(marker));
}

} // namespace
} // namespace lottery::testing
