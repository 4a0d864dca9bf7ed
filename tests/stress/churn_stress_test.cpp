// SPDX-License-Identifier: MIT
// Fork/exit churn -- thousands of short tasks a second -- against the BPF
// tracer while a lottery agent draws from it every 10 ms: no task gone for
// more than a second stays in the map, the miss counter explains every
// runnable task the map could not hold, and the agent lives on.
#include <csignal>
#include <fstream>
#include <map>
#include <thread>

#include <gtest/gtest.h>

#include "agent_process.h"
#include "run_command.h"
#include "stress_length.h"
#include "task_processes.h"
#include "tracer_fixture.h"

namespace lottery::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// The last pid the kernel handed out: the difference over a run counts the
// tasks created meanwhile, ours and everybody's.
long last_pid()
{
	long pid = 0;
	std::ifstream("/proc/sys/kernel/ns_last_pid") >> pid;
	return pid;
}

long pid_max()
{
	long max = 0;
	std::ifstream("/proc/sys/kernel/pid_max") >> max;
	return max;
}

struct ChurnFindings {
	int snapshots = 0;
	int lingering = 0;	 // snapshots holding a pid gone for more than a second
	int busy_missing = 0;	 // snapshots without the busy loop, the map not full
	int busy_unexplained = 0; // ...and no new miss counted to explain it
	std::size_t most_tasks = 0;
	std::uint64_t misses = 0;
	long tasks_created = 0;
	double tasks_per_second = 0;
};

// Takes snapshots every 10 ms while two processes churn for `length`,
// checking each. The busy loop must be in every snapshot unless the miss
// count has grown past `misses_before` (a full map refused it).
ChurnFindings watch_churn(SnapshotSource &source, pid_t busy, std::chrono::seconds length,
			  std::uint64_t misses_before = 0)
{
	ChurnFindings found;
	std::map<pid_t, Clock::time_point> gone_since;
	long first_pid = last_pid();
	auto start = Clock::now();
	ChildProcess churn[] = {spawn_churn(length), spawn_churn(length)};

	while (Clock::now() < start + length + 500ms) {
		Snapshot snapshot = source.take_snapshot();
		auto now = Clock::now();
		found.snapshots++;
		found.most_tasks = std::max(found.most_tasks, snapshot.tasks.size());
		found.misses = snapshot.misses_since_load;
		bool busy_seen = false;
		for (const RunnableTask &task : snapshot.tasks) {
			busy_seen = busy_seen || task.pid == busy;
			if (proc_state(task.pid)) { // still there (a zombie counts)
				gone_since.erase(task.pid);
				continue;
			}
			auto since = gone_since.emplace(task.pid, now).first->second;
			if (now - since > 1s) {
				found.lingering++;
				ADD_FAILURE() << "pid " << task.pid << " (" << task.comm << ") gone for "
					      << std::chrono::duration<double>(now - since).count()
					      << " s is still in the map";
			}
		}
		if (!busy_seen) {
			found.busy_missing++;
			found.busy_unexplained += snapshot.misses_since_load <= misses_before;
		}
		std::this_thread::sleep_for(10ms);
	}
	long created = (last_pid() - first_pid + pid_max()) % pid_max();
	found.tasks_created = created;
	found.tasks_per_second = created / std::chrono::duration<double>(Clock::now() - start).count();
	return found;
}

void report(const ChurnFindings &found)
{
	::testing::Test::RecordProperty("snapshots", found.snapshots);
	::testing::Test::RecordProperty("tasks_per_second", std::to_string(found.tasks_per_second));
	std::printf("churn: %ld tasks, %.0f tasks/s, %d snapshots, at most %zu tasks in one, %d without "
		    "the busy loop, %llu misses\n",
		    found.tasks_created, found.tasks_per_second, found.snapshots, found.most_tasks,
		    found.busy_missing, static_cast<unsigned long long>(found.misses));
}

TEST(TracerChurn, GoneTasksLeaveTheMapAndTheAgentLivesOn)
{
	const auto length = stress_length(5s, 30s);
	ScopedTracer tracer("stress_churn");
	ASSERT_TRUE(tracer.loaded()) << tracer.load_result().err;
	ChildProcess busy = spawn_cpu_task();
	AgentProcess agent({"--backend", "bpf", "--pin-dir", tracer.pin_dir(), "--json", "10"});

	auto source = tracer.open_source();
	ChurnFindings found = watch_churn(*source, busy.pid(), length);
	report(found);

	// What the test needs is volume: a thousand tasks born and gone under
	// the tracer. The rate it takes follows the machine (354 to 1 343 a
	// second on the same build on this shared host), so it is not the bound.
	EXPECT_GE(found.tasks_created, 1000) << "the churn was too small to stress anything";
	EXPECT_EQ(found.lingering, 0);
	// The map has room to spare: nothing may be lost, and the busy loop is
	// runnable throughout, so it is in every snapshot.
	EXPECT_EQ(found.misses, 0U);
	EXPECT_EQ(found.busy_missing, 0);

	ASSERT_EQ(agent.wait(0ms), std::nullopt) << "the agent stopped: " << agent.err();
	agent.signal(SIGTERM);
	EXPECT_EQ(agent.wait(5s), 0) << agent.err();
	EXPECT_EQ(agent.err(), "");
	EXPECT_NE(agent.out().find("{\"summary\":"), std::string::npos);
}

// A map too small for the machine: a busy loop started once it is full is
// refused, and whenever it is missing the miss count has grown.
TEST(TracerChurn, AFullMapCountsWhatItCouldNotHold)
{
	ScopedTracer tracer("stress_full", {"--capacity", "8"});
	ASSERT_TRUE(tracer.loaded()) << tracer.load_result().err;
	std::vector<ChildProcess> crowd;
	for (int i = 0; i < 10; i++)
		crowd.push_back(spawn_cpu_task());
	auto source = tracer.open_source();
	std::uint64_t misses_before = 0;
	ASSERT_TRUE(wait_until([&] { return (misses_before = source->take_snapshot().misses_since_load) > 0; }))
		<< "10 busy loops in a map of 8 and no miss counted";

	ChildProcess busy = spawn_cpu_task();
	ChurnFindings found = watch_churn(*source, busy.pid(), stress_length(2s, 10s), misses_before);
	report(found);

	EXPECT_LE(found.most_tasks, 8U);
	EXPECT_EQ(found.busy_unexplained, 0) << "the busy loop was missing and no new miss was counted";
	EXPECT_EQ(found.lingering, 0);
}

} // namespace
} // namespace lottery::testing
