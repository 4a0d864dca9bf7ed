// SPDX-License-Identifier: MIT
// SIGKILL, SIGTERM, SIGINT and SIGHUP at random points of enforced runs --
// during setup, between quanta, while tasks are held -- and after each: no
// managed process left stopped or with another nice value or affinity, no
// guardian left behind, the tracer's pins as they were (the agent pins
// nothing of its own). The seed is printed, and LOTTERY_STRESS_SEED
// replays a run.
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <thread>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "enforce_fixture.h"
#include "stress_length.h"

namespace lottery::testing {
namespace {

using namespace std::chrono_literals;

std::set<std::string> listing(const std::string &dir)
{
	std::set<std::string> names;
	for (const auto &entry : std::filesystem::directory_iterator(dir))
		names.insert(entry.path().filename());
	return names;
}

// Children of this test that are not among `ours`: with this process a
// subreaper, a guardian whose agent died is reparented here, so a guardian
// that outlives its job shows up. Zombies among them are reaped.
std::vector<pid_t> strays(const std::set<pid_t> &ours)
{
	std::vector<pid_t> found;
	for (const auto &entry : std::filesystem::directory_iterator("/proc")) {
		std::string name = entry.path().filename();
		if (name.find_first_not_of("0123456789") != std::string::npos)
			continue;
		pid_t pid = std::stoi(name);
		std::ifstream stat(entry.path() / "stat");
		std::string line;
		std::getline(stat, line);
		auto close = line.rfind(')');
		if (close == std::string::npos || ours.count(pid))
			continue;
		std::istringstream fields(line.substr(close + 2));
		char state;
		pid_t ppid;
		if (!(fields >> state >> ppid) || ppid != getpid())
			continue;
		if (state == 'Z')
			waitpid(pid, nullptr, WNOHANG);
		else
			found.push_back(pid);
	}
	return found;
}

struct Managed {
	ChildProcess task;
	cpu_set_t affinity;
	int nice;
};

// Three busy loops with settings of their own: nice 5, nice 0 on the last
// CPU, nice -2 (the agent renices and pins them all while it runs).
std::vector<Managed> managed_set()
{
	const int last_cpu = static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN)) - 1;
	std::vector<Managed> set;
	for (int nice : {5, 0, -2}) {
		ChildProcess task = spawn_cpu_task(nice);
		cpu_set_t affinity = affinity_of(task.pid());
		set.push_back({std::move(task), affinity, nice});
	}
	set[1].affinity = cpus({last_cpu});
	sched_setaffinity(set[1].task.pid(), sizeof(cpu_set_t), &set[1].affinity);
	return set;
}

class SignalStress : public EnforceTest {};

TEST_F(SignalStress, ManagedProcessesAreRestoredWhateverSignalEndsTheAgentWhenever)
{
	const int runs = stress_length(8, 60);
	const char *seed_text = std::getenv("LOTTERY_STRESS_SEED");
	const unsigned seed = seed_text ? std::stoul(seed_text) : std::random_device{}();
	std::printf("signal stress: %d runs, LOTTERY_STRESS_SEED=%u\n", runs, seed);
	RecordProperty("seed", std::to_string(seed));
	std::mt19937 random(seed);
	const int signals[] = {SIGKILL, SIGTERM, SIGINT, SIGHUP};
	ASSERT_EQ(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	const auto pins_before = listing(pin_dir());

	for (int run = 0; run < runs && !HasFailure(); run++) {
		std::vector<Managed> set = managed_set();
		std::set<pid_t> ours;
		std::vector<std::string> args = {"--cpus", "0"};
		for (const Managed &m : set) {
			ours.insert(m.task.pid());
			args.insert(args.end(), {"--pid", std::to_string(m.task.pid())});
		}
		// Quanta of 10 to 100 ms; the signal from the first instant to 20 quanta in.
		const int quantum_ms = std::uniform_int_distribution(10, 100)(random);
		args.push_back(std::to_string(quantum_ms));
		const auto delay = std::chrono::milliseconds(std::uniform_int_distribution(0, 20 * quantum_ms)(random));
		const int signo = signals[std::uniform_int_distribution(0, 3)(random)];
		SCOPED_TRACE("run " + std::to_string(run) + ": " + sigabbrev_np(signo) + " after " +
			     std::to_string(delay.count()) + " ms, quantum " + std::to_string(quantum_ms) + " ms");

		AgentProcess agent(enforce_args(args));
		ours.insert(agent.pid());
		std::this_thread::sleep_for(delay);
		agent.signal(signo);

		EXPECT_TRUE(wait_until([&] {
			for (const Managed &m : set)
				if (!running_as(m.task.pid(), m.affinity, m.nice))
					return false;
			return true;
		}, 1s, 5ms)) << "a managed process is still held or changed 1 s after the signal: "
			     << agent.err();
		// Handled: a clean exit; or killed, by SIGKILL or before the handlers were set.
		auto status = agent.wait(2s);
		ASSERT_TRUE(status) << "the agent is still running 2 s after " << sigabbrev_np(signo);
		EXPECT_TRUE(*status == 0 || *status == 128 + signo) << "exit " << *status << ": " << agent.err();
		std::vector<pid_t> left;
		EXPECT_TRUE(wait_until([&] { return (left = strays(ours)).empty(); }, 1s))
			<< "a guardian (pid " << left.front() << ") outlived its agent";
		EXPECT_EQ(listing(pin_dir()), pins_before) << "the pins changed";
	}
	prctl(PR_SET_CHILD_SUBREAPER, 0);
}

} // namespace
} // namespace lottery::testing
