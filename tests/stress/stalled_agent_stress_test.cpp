// SPDX-License-Identifier: MIT
// The agent stopped (SIGSTOP) at random points of enforced runs, with random
// quanta: every time, its guardian releases the managed set within the
// stall bound, and the agent, continued, ends with exit 1 and leaves every
// task as it found it. The seed is printed; LOTTERY_STRESS_SEED replays.
#include <random>

#include "stalled_agent.h"
#include "stress_length.h"

namespace lottery::testing {
namespace {

class StalledAgentStress : public EnforceTest {};

TEST_F(StalledAgentStress, GuardianReleasesTheSetWheneverTheAgentStops)
{
	const int runs = stress_length(3, 40);
	const char *seed_text = std::getenv("LOTTERY_STRESS_SEED");
	const unsigned seed = seed_text ? std::stoul(seed_text) : std::random_device{}();
	std::printf("stalled agent stress: %d runs, LOTTERY_STRESS_SEED=%u\n", runs, seed);
	RecordProperty("seed", std::to_string(seed));
	std::mt19937 random(seed);

	for (int run = 0; run < runs && !HasFailure(); run++) {
		std::vector<ChildProcess> children;
		std::vector<TaskAsFound> tasks;
		std::vector<std::string> args = {"--cpus", "0"};
		for (int nice : {4, 0, -1}) {
			children.push_back(spawn_cpu_task(nice));
			const pid_t pid = children.back().pid();
			tasks.push_back({pid, affinity_of(pid), nice});
			args.insert(args.end(), {"--pid", std::to_string(pid)});
		}
		// Quanta of 10 to 500 ms (bounds of 1 to 1.5 s); stopped from the
		// first instant to 10 quanta in.
		const int quantum_ms = std::uniform_int_distribution(10, 500)(random);
		args.push_back(std::to_string(quantum_ms));
		const auto stop_after = std::chrono::milliseconds(
			std::uniform_int_distribution(0, 10 * quantum_ms)(random));
		SCOPED_TRACE("run " + std::to_string(run) + ": quantum " + std::to_string(quantum_ms) +
			     " ms, stopped " + std::to_string(stop_after.count()) + " ms in");
		expect_stalled_agent_releases(enforce_args(args), tasks, quantum_ms, stop_after);
	}
}

} // namespace
} // namespace lottery::testing
