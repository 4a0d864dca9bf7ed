// SPDX-License-Identifier: MIT
// An agent never holds a task hostage: stopped, it is released by its
// guardian within the stall bound; blocked writing its output, a stop
// signal still ends it within the grace period; a second agent on the same
// processes is refused and names the first, and of two started at once on
// overlapping sets only one takes them.
#include <csignal>
#include <fcntl.h>
#include <random>
#include <sys/ioctl.h>
#include <thread>

#include "enforce_fixture.h"
#include "stalled_agent.h"

namespace lottery::testing {
namespace {

using namespace std::chrono_literals;

class AgentHoldTest : public EnforceTest {
protected:
	// Two busy loops with settings of their own, managed on CPU 0.
	struct Pair {
		ChildProcess a = spawn_cpu_task(3);
		ChildProcess b = spawn_cpu_task(0);
		std::vector<TaskAsFound> as_found() const
		{
			return {{a.pid(), affinity_of(a.pid()), 3}, {b.pid(), affinity_of(b.pid()), 0}};
		}
	};
	std::vector<std::string> managing(const Pair &pair, int quantum_ms) const
	{
		return enforce_args({"--cpus", "0", "--pid", pid_text(pair.a), "--pid", pid_text(pair.b),
				     std::to_string(quantum_ms)});
	}
};

TEST_F(AgentHoldTest, StoppedAgentIsReleasedByItsGuardianAndEndsWhenContinued)
{
	std::mt19937 random(std::random_device{}());
	for (int run = 0; run < 2 && !HasFailure(); ++run) {
		Pair pair;
		const int quantum_ms = 50;
		const auto stop_after = std::chrono::milliseconds(
			std::uniform_int_distribution(0, 10 * quantum_ms)(random));
		SCOPED_TRACE("stopped " + std::to_string(stop_after.count()) + " ms in");
		expect_stalled_agent_releases(managing(pair, quantum_ms), pair.as_found(), quantum_ms,
					      stop_after);
	}
}

TEST_F(AgentHoldTest, StopSignalEndsAnAgentBlockedOnAFullPipe)
{
	Pair pair;
	const auto as_found = pair.as_found();
	int out[2];
	ASSERT_EQ(pipe2(out, O_CLOEXEC), 0);
	fcntl(out[0], F_SETPIPE_SZ, 4096);
	const int quantum_ms = 10;
	AgentProcess agent(enforce_args({"--debug", "--cpus", "0", "--pid", pid_text(pair.a), "--pid",
					 pid_text(pair.b), std::to_string(quantum_ms)}),
			   out[1]);
	close(out[1]);
	// Nobody reads: the agent blocks in write() once the pipe is full.
	const int capacity = fcntl(out[0], F_GETPIPE_SZ);
	ASSERT_TRUE(wait_until([&] {
		int queued = 0;
		ioctl(out[0], FIONREAD, &queued);
		return queued > capacity - 256;
	}, 10s)) << agent.err();
	std::this_thread::sleep_for(100ms);

	agent.signal(SIGTERM);
	// The grace period is max(one interval, 500 ms); a second for a busy machine.
	EXPECT_EQ(agent.wait(1500ms), 128 + SIGTERM) << "the agent is still blocked: " << agent.err();
	EXPECT_TRUE(wait_until([&] { return all_as_found(as_found); }, 1s))
		<< "a managed task stayed held or pinned";
	close(out[0]);
}

TEST_F(AgentHoldTest, SecondAgentNamesTheFirstAndTouchesNothing)
{
	Pair pair;
	ChildProcess c = spawn_cpu_task(2);
	const cpu_set_t c_affinity = affinity_of(c.pid());
	AgentProcess first(managing(pair, 50));
	ASSERT_TRUE(wait_until([&] { return first.guardian_pid() > 0; }, 5s)) << first.err();

	AgentProcess second(enforce_args({"--cpus", "0", "--pid", pid_text(c), "--pid", pid_text(pair.b), "50"}));
	EXPECT_EQ(second.wait(5s), 2) << second.err();
	EXPECT_EQ(count_lines(second.err()), 1) << second.err();
	EXPECT_EQ(second.out(), "");
	const std::string names = "lottery: pid " + pid_text(pair.b) + " (cpu_task) is managed by lottery agent pid " +
				  std::to_string(first.pid()) + " (" + lottery_path() + " --enforce";
	EXPECT_EQ(second.err().rfind(names, 0), 0u) << second.err();
	// Nothing touched: c (taken before b, in pid order, or not at all) runs as it did.
	std::this_thread::sleep_for(200ms);
	EXPECT_TRUE(running_as(c.pid(), c_affinity, 2));
	EXPECT_EQ(first.wait(0ms), std::nullopt) << "the first agent stopped: " << first.err();
	first.signal(SIGTERM);
	EXPECT_EQ(first.wait(2s), 0) << first.err();
}

TEST_F(AgentHoldTest, TwoAgentsStartedTogetherOnOverlappingSetsNeverBothWin)
{
	for (int trial = 0; trial < 8 && !HasFailure(); ++trial) {
		SCOPED_TRACE("trial " + std::to_string(trial));
		Pair pair;
		ChildProcess c = spawn_cpu_task(0);
		const auto args_one = enforce_args({"--cpus", "0", "--pid", pid_text(pair.a), "--pid",
						    pid_text(pair.b), "20"});
		const auto args_two = enforce_args({"--cpus", "0", "--pid", pid_text(c), "--pid",
						    pid_text(pair.b), "--pid", pid_text(pair.a), "20"});
		AgentProcess one(args_one), two(args_two);
		// Both have started or given up by the time either has drawn.
		ASSERT_TRUE(wait_until([&] {
			return (one.guardian_pid() > 0 || one.wait(0ms)) && (two.guardian_pid() > 0 || two.wait(0ms));
		}, 5s)) << one.err() << two.err();
		std::this_thread::sleep_for(100ms);
		const bool one_runs = !one.wait(0ms), two_runs = !two.wait(0ms);
		EXPECT_NE(one_runs, two_runs) << "exactly one of them manages the set: " << one.err() << " | "
					      << two.err();
		const std::string lost = one_runs ? two.err() : one.err();
		EXPECT_NE(lost.find("is managed by lottery agent pid"), std::string::npos) << lost;
		one.signal(SIGTERM);
		two.signal(SIGTERM);
		one.wait(2s);
		two.wait(2s);
	}
}

} // namespace
} // namespace lottery::testing
