// SPDX-License-Identifier: MIT
// However the agent ends -- SIGKILL, SIGTERM, SIGINT, SIGHUP -- every
// managed task runs again with its own nice value and affinity within a
// second; a managed task that exits is dropped and the run goes on.
#include <csignal>
#include <cstring>
#include <thread>

#include "enforce_fixture.h"

namespace lottery::testing {
namespace {

using namespace std::chrono_literals;

// Two busy loops with settings of their own to be restored: one at nice 3,
// one pinned to the last CPU while the agent pins both to CPU 0.
struct ManagedPair {
	ChildProcess a = spawn_cpu_task(3);
	ChildProcess b = spawn_cpu_task(0);
	cpu_set_t a_affinity = affinity_of(a.pid());
	cpu_set_t b_affinity = cpus({static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN)) - 1});

	ManagedPair() { sched_setaffinity(b.pid(), sizeof(b_affinity), &b_affinity); }
	bool restored() const
	{
		return running_as(a.pid(), a_affinity, 3) && running_as(b.pid(), b_affinity, 0);
	}
	bool one_held() const { return proc_state(a.pid()) == 'T' || proc_state(b.pid()) == 'T'; }
};

bool gone(pid_t pid)
{
	char state = proc_state(pid);
	return state == 0 || state == 'Z';
}

class EnforceFaultTest : public EnforceTest {};

TEST_F(EnforceFaultTest, SigkilledAgentLeavesEveryTaskRunningWithinASecond)
{
	ManagedPair tasks;
	AgentProcess agent(enforce_args({"--cpus", "0", "--pid", pid_text(tasks.a), "--pid",
					 pid_text(tasks.b), "50"}));
	ASSERT_TRUE(wait_until([&] { return tasks.one_held(); }, 5s)) << agent.err();
	const pid_t guardian = agent.guardian_pid();
	ASSERT_GT(guardian, 0) << agent.out();

	agent.signal(SIGKILL);
	EXPECT_TRUE(wait_until([&] { return tasks.restored(); }, 1s, 5ms))
		<< "states " << proc_state(tasks.a.pid()) << proc_state(tasks.b.pid());
	EXPECT_EQ(agent.wait(1s), 128 + SIGKILL);
	EXPECT_TRUE(wait_until([&] { return gone(guardian); }, 1s)) << "the guardian lingers";
	std::this_thread::sleep_for(200ms); // and nothing stops them again
	EXPECT_TRUE(tasks.restored());
	EXPECT_NE(agent.err().find("guardian resumed 2 managed processes"), std::string::npos)
		<< agent.err();
}

class StopSignalTest : public EnforceTest, public ::testing::WithParamInterface<int> {};

TEST_P(StopSignalTest, AgentRestoresEveryTaskAndExitsCleanly)
{
	ManagedPair tasks;
	AgentProcess agent(enforce_args({"--cpus", "0", "--pid", pid_text(tasks.a), "--pid",
					 pid_text(tasks.b), "50"}));
	ASSERT_TRUE(wait_until([&] { return tasks.one_held(); }, 5s)) << agent.err();
	const pid_t guardian = agent.guardian_pid();

	agent.signal(GetParam());
	EXPECT_EQ(agent.wait(2s), 0) << agent.err();
	EXPECT_TRUE(tasks.restored());
	EXPECT_NE(agent.out().find("restored 2 managed processes"), std::string::npos) << agent.out();
	EXPECT_TRUE(gone(guardian)) << "the agent reaps its guardian";
	EXPECT_EQ(agent.err(), "");
}

INSTANTIATE_TEST_SUITE_P(Signals, StopSignalTest, ::testing::Values(SIGTERM, SIGINT, SIGHUP),
			 [](const auto &info) { return std::string(sigabbrev_np(info.param)); });

TEST_F(EnforceFaultTest, ManagedTaskThatExitsIsDroppedAndTheRunGoesOn)
{
	ChildProcess a = spawn_cpu_task(), b = spawn_cpu_task(), c = spawn_cpu_task();
	const pid_t b_pid = b.pid();
	AgentProcess agent(enforce_args({"--cpus", "0", "--pid", pid_text(a), "--pid", pid_text(b),
					 "--pid", pid_text(c), "50"}));
	auto held = [](std::initializer_list<pid_t> pids) {
		for (pid_t pid : pids)
			if (proc_state(pid) == 'T')
				return true;
		return false;
	};
	ASSERT_TRUE(wait_until([&] { return held({a.pid(), b_pid, c.pid()}); }, 5s)) << agent.err();

	b.kill_and_reap();
	ASSERT_TRUE(wait_until([&] { return agent.out().find("exited") != std::string::npos; }, 2s));
	EXPECT_EQ(agent.wait(0ms), std::nullopt) << "the agent stopped: " << agent.err();
	// Still enforcing among the two left: one of them is held at times.
	EXPECT_TRUE(wait_until([&] { return held({a.pid(), c.pid()}); }, 3s));

	agent.signal(SIGTERM);
	EXPECT_EQ(agent.wait(2s), 0) << agent.err();
	EXPECT_NE(agent.out().find("pid " + std::to_string(b_pid) + " (cpu_task) exited"),
		  std::string::npos)
		<< agent.out();
	EXPECT_NE(agent.out().find("restored 2 managed processes"), std::string::npos);
	EXPECT_NE(proc_state(a.pid()), 'T');
	EXPECT_NE(proc_state(c.pid()), 'T');
}

TEST_F(EnforceFaultTest, PidsThatCannotBeManagedAreRefusedInOneLine)
{
	struct Case {
		std::string pid;
		std::string says;
	};
	for (const Case &c : {Case{std::to_string(unused_pid()), "no such process"},
			      Case{"2", "kernel thread"}}) {
		AgentProcess agent(enforce_args({"--pid", c.pid, "--rounds", "1"}));
		EXPECT_EQ(agent.wait(5s), 2) << c.pid;
		EXPECT_EQ(agent.out(), "");
		EXPECT_EQ(count_lines(agent.err()), 1) << agent.err();
		EXPECT_EQ(agent.err().rfind("lottery: pid " + c.pid, 0), 0u) << agent.err();
		EXPECT_NE(agent.err().find(c.says), std::string::npos) << agent.err();
	}
	EXPECT_NE(proc_state(2), 'T');
}

} // namespace
} // namespace lottery::testing
