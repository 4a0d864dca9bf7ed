// SPDX-License-Identifier: MIT
// The tracer unloaded while `lottery` runs: the agent says so in one line
// and exits 1 after its summary; an enforcing agent first puts every
// managed process back as it found it.
#include <csignal>

#include "enforce_fixture.h"

namespace lottery::testing {
namespace {

using namespace std::chrono_literals;

const std::string unloaded_line = "lottery: the BPF tracer was unloaded while lottery was running";

void unload(const std::string &pin_dir)
{
	auto result = run_tracer({"unload", "--pin-dir", pin_dir});
	ASSERT_EQ(result.exit_code, 0) << result.err;
}

void expect_one_line_about_the_unload(const AgentProcess &agent)
{
	EXPECT_EQ(count_lines(agent.err()), 1) << agent.err();
	EXPECT_EQ(agent.err().rfind(unloaded_line, 0), 0u) << agent.err();
}

TEST(TracerUnloadedUnderTheAgent, DrawingAgentSaysSoAndExits1)
{
	ScopedTracer tracer("stress_unload");
	ASSERT_TRUE(tracer.loaded()) << tracer.load_result().err;
	AgentProcess agent({"--backend", "bpf", "--pin-dir", tracer.pin_dir(), "20"});
	ASSERT_TRUE(wait_until([&] { return agent.out().find("round 3:") != std::string::npos; }, 5s))
		<< agent.out() << agent.err();

	unload(tracer.pin_dir());
	EXPECT_EQ(agent.wait(2s), 1) << agent.err();
	expect_one_line_about_the_unload(agent);
	EXPECT_NE(agent.out().find("summary:"), std::string::npos) << agent.out();
}

class TracerUnloadedUnderEnforcement : public EnforceTest {};

TEST_F(TracerUnloadedUnderEnforcement, ManagedProcessesAreRestoredAndTheAgentExits1)
{
	ChildProcess a = spawn_cpu_task(4), b = spawn_cpu_task(0);
	const cpu_set_t a_affinity = affinity_of(a.pid()), b_affinity = affinity_of(b.pid());
	AgentProcess agent(enforce_args({"--cpus", "0", "--pid", pid_text(a), "--pid", pid_text(b), "20"}));
	ASSERT_TRUE(wait_until([&] { return proc_state(a.pid()) == 'T' || proc_state(b.pid()) == 'T'; }, 5s))
		<< agent.err();

	unload(pin_dir());
	EXPECT_EQ(agent.wait(2s), 1) << agent.err();
	expect_one_line_about_the_unload(agent);
	EXPECT_TRUE(running_as(a.pid(), a_affinity, 4));
	EXPECT_TRUE(running_as(b.pid(), b_affinity, 0));
	EXPECT_NE(agent.out().find("restored 2 managed processes"), std::string::npos) << agent.out();
}

} // namespace
} // namespace lottery::testing
