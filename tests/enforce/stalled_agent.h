// SPDX-License-Identifier: MIT
// One stalled-agent case, shared by the enforcement tests and the stress
// suite: the agent is stopped (SIGSTOP) at some point of its run; its
// guardian must put every managed task back within the stall bound, say so,
// and the agent, continued, must end its run with a clear line, exit 1,
// and leave every task as it found it.
#pragma once

#include <csignal>
#include <thread>

#include "enforce_fixture.h"

namespace lottery::testing {

struct TaskAsFound {
	pid_t pid;
	cpu_set_t affinity;
	int nice;
};

inline bool all_as_found(const std::vector<TaskAsFound> &tasks)
{
	for (const TaskAsFound &task : tasks)
		if (!running_as(task.pid, task.affinity, task.nice))
			return false;
	return true;
}

// The guardian's bound for a quantum (guardian.h): max(3 quanta, 1 s).
inline std::chrono::milliseconds stall_bound(int quantum_ms)
{
	return std::chrono::milliseconds(std::max(3 * quantum_ms, 1000));
}

inline void expect_stalled_agent_releases(const std::vector<std::string> &args,
					  const std::vector<TaskAsFound> &tasks, int quantum_ms,
					  std::chrono::milliseconds stop_after)
{
	using namespace std::chrono_literals;
	AgentProcess agent(args);
	ASSERT_TRUE(wait_until([&] { return agent.guardian_pid() > 0; }, 5s)) << agent.err();
	const pid_t guardian = agent.guardian_pid();
	std::this_thread::sleep_for(stop_after);
	agent.signal(SIGSTOP);
	const auto stopped = std::chrono::steady_clock::now();

	// Released within the bound, and a little for a loaded machine.
	EXPECT_TRUE(wait_until([&] { return all_as_found(tasks); }, stall_bound(quantum_ms) + 1s, 5ms))
		<< "a managed task is still held or pinned "
		<< std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
									  stopped).count()
		<< " ms after the agent stopped: " << agent.err();
	EXPECT_TRUE(wait_until([&] { return agent.err().find("sent no heartbeat") != std::string::npos; }, 1s))
		<< agent.err();
	// Stays released while the agent stays stopped.
	std::this_thread::sleep_for(std::chrono::milliseconds(2 * quantum_ms));
	EXPECT_TRUE(all_as_found(tasks));

	agent.signal(SIGCONT);
	EXPECT_EQ(agent.wait(3s), 1) << agent.err();
	EXPECT_NE(agent.err().find("lottery: this agent was stopped or stalled for over "), std::string::npos)
		<< agent.err();
	EXPECT_TRUE(wait_until([&] { return all_as_found(tasks); }, 1s))
		<< "a task held again after the agent came back";
	EXPECT_TRUE(wait_until([&] {
		char state = proc_state(guardian);
		return state == 0 || state == 'Z';
	}, 1s)) << "the guardian lingers";
}

} // namespace lottery::testing
