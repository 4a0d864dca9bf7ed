// SPDX-License-Identifier: MIT
// What every kernel-side source must report about real tasks, checked the
// same way against each backend (see backend_under_test.h for choosing one).
#include <atomic>
#include <ctime>
#include <map>
#include <set>
#include <thread>

#include <gtest/gtest.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#include "backend_under_test.h"
#include "task_processes.h"

namespace lottery::testing {
namespace {

using namespace std::chrono_literals;

constexpr unsigned long pf_kthread = 0x00200000;
constexpr uid_t nobody = 65534;

std::uint64_t monotonic_ns()
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return std::uint64_t(now.tv_sec) * 1000000000U + now.tv_nsec;
}

class BackendConformance : public ::testing::Test {
protected:
	void SetUp() override
	{
		ASSERT_NO_THROW(source_ = open_backend_under_test());
		RecordProperty("backend", backend_under_test_name());
	}

	Snapshot snapshot() { return source_->take_snapshot(); }

	// The task once it is in a snapshot and satisfies ready (e.g. it has exec'd).
	std::optional<RunnableTask> wait_for_task(pid_t pid, std::function<bool(const RunnableTask &)> ready,
						  std::chrono::milliseconds timeout = 3s)
	{
		std::optional<RunnableTask> found;
		wait_until([&] {
			auto task = find_task(snapshot(), pid);
			if (task && ready(*task))
				found = task;
			return found.has_value();
		}, timeout);
		return found;
	}

	std::optional<RunnableTask> wait_for_cpu_task(pid_t pid)
	{
		return wait_for_task(pid, [](const RunnableTask &task) { return task.comm == "cpu_task"; });
	}

	bool wait_for_absence(pid_t pid, std::chrono::milliseconds timeout = 1s)
	{
		return wait_until([&] { return !find_task(snapshot(), pid); }, timeout);
	}

	std::unique_ptr<SnapshotSource> source_;
};

TEST_F(BackendConformance, BusyTasksAppearWithTheirNiceAndPolicy)
{
	const int nices[] = {-5, 0, 7};
	std::vector<ChildProcess> tasks;
	for (int nice : nices)
		tasks.push_back(spawn_cpu_task(nice));

	for (std::size_t i = 0; i < tasks.size(); i++) {
		auto task = wait_for_cpu_task(tasks[i].pid());
		ASSERT_TRUE(task) << "cpu_task at nice " << nices[i] << " never appeared";
		EXPECT_EQ(task->nice, nices[i]);
		EXPECT_EQ(task->policy, SchedPolicy::Normal);
		EXPECT_EQ(task->tgid, tasks[i].pid());
		EXPECT_EQ(task->uid, getuid());
		EXPECT_FALSE(task->kernel_thread);
	}
}

// The tracer rereads nice when a task is switched out, so the task must have
// company on its CPU: a runnable task alone there is never switched out.
TEST_F(BackendConformance, ReniceOfARunningTaskIsSeen)
{
	std::vector<ChildProcess> company;
	for (int i = 0; i < get_nprocs(); i++)
		company.push_back(spawn_cpu_task());
	ChildProcess task = spawn_cpu_task();
	ASSERT_TRUE(wait_for_cpu_task(task.pid()));

	ASSERT_EQ(setpriority(PRIO_PROCESS, task.pid(), 6), 0);
	EXPECT_TRUE(wait_for_task(task.pid(), [](const RunnableTask &found) { return found.nice == 6; }, 2s))
		<< "nice 6 not seen within 2 s of the renice";
}

TEST_F(BackendConformance, TaskOfAnotherUserHasItsUid)
{
	ChildProcess task = spawn_cpu_task(3, SCHED_OTHER, nobody);
	auto found = wait_for_cpu_task(task.pid());
	ASSERT_TRUE(found);
	EXPECT_EQ(found->uid, nobody);
	EXPECT_EQ(found->nice, 3);
}

TEST_F(BackendConformance, BatchAndIdlePoliciesAreReported)
{
	ChildProcess batch = spawn_cpu_task(2, SCHED_BATCH);
	ChildProcess idle = spawn_cpu_task(0, SCHED_IDLE);

	auto batch_task = wait_for_cpu_task(batch.pid());
	auto idle_task = wait_for_cpu_task(idle.pid());
	ASSERT_TRUE(batch_task);
	ASSERT_TRUE(idle_task);
	EXPECT_EQ(batch_task->policy, SchedPolicy::Batch);
	EXPECT_EQ(batch_task->nice, 2);
	EXPECT_EQ(idle_task->policy, SchedPolicy::Idle);
}

TEST_F(BackendConformance, SleepingTaskIsAbsent)
{
	ChildProcess sleeper = spawn_sleeper();
	ASSERT_TRUE(wait_until([&] { return proc_state(sleeper.pid()) == 'S'; }));

	for (int i = 0; i < 5; i++) {
		EXPECT_FALSE(find_task(snapshot(), sleeper.pid())) << "snapshot " << i;
		std::this_thread::sleep_for(50ms);
	}
}

TEST_F(BackendConformance, ExitedTaskLeaves)
{
	ChildProcess task = spawn_cpu_task();
	ASSERT_TRUE(wait_for_cpu_task(task.pid()));

	// Not reaped yet: a zombie is not runnable either.
	task.signal(SIGKILL);
	ASSERT_TRUE(wait_until([&] { return proc_state(task.pid()) == 'Z'; }));
	EXPECT_TRUE(wait_for_absence(task.pid())) << "a zombie is still in the snapshot after 1 s";
	pid_t pid = task.pid();
	task.kill_and_reap();
	EXPECT_TRUE(wait_for_absence(pid)) << "an exited task is still in the snapshot after 1 s";
}

TEST_F(BackendConformance, StoppedTaskLeavesAndComesBack)
{
	ChildProcess task = spawn_cpu_task();
	ASSERT_TRUE(wait_for_cpu_task(task.pid()));

	task.signal(SIGSTOP);
	ASSERT_TRUE(wait_until([&] { return proc_state(task.pid()) == 'T'; }));
	EXPECT_TRUE(wait_for_absence(task.pid())) << "a stopped task is still in the snapshot after 1 s";

	task.signal(SIGCONT);
	EXPECT_TRUE(wait_for_task(task.pid(), [](const RunnableTask &) { return true; }, 1s))
		<< "a continued task did not come back within 1 s";
}

TEST_F(BackendConformance, ThreadsCarryTheirProcessTgid)
{
	std::atomic<pid_t> tid{0};
	std::atomic<bool> stop{false};
	std::thread spinner([&] {
		tid = gettid();
		while (!stop)
			;
	});
	ASSERT_TRUE(wait_until([&] { return tid != 0; }));
	auto found = wait_for_task(tid, [](const RunnableTask &) { return true; });
	stop = true;
	spinner.join();

	ASSERT_TRUE(found) << "a busy thread of this test never appeared";
	EXPECT_EQ(found->tgid, getpid());
	EXPECT_NE(found->pid, found->tgid);
}

TEST_F(BackendConformance, ThreadThatExecsLeavesNoRecordUnderItsOldTid)
{
	pid_t thread_tid;
	ChildProcess process = spawn_exec_from_thread(thread_tid);
	ASSERT_GT(thread_tid, 0);
	ASSERT_NE(thread_tid, process.pid());

	auto found = wait_for_cpu_task(process.pid());
	ASSERT_TRUE(found) << "the exec'd process never appeared under its pid";
	EXPECT_EQ(found->tgid, process.pid());
	EXPECT_TRUE(wait_for_absence(thread_tid)) << "the old tid " << thread_tid << " is still there";
}

TEST_F(BackendConformance, GoneTasksNeverLingerThroughForkExitChurn)
{
	using clock = std::chrono::steady_clock;
	ChildProcess churn = spawn_churn(2s);
	std::map<pid_t, clock::time_point> gone_since;
	int snapshots = 0;

	for (auto end = clock::now() + 2500ms; clock::now() < end; snapshots++) {
		Snapshot taken = snapshot();
		auto now = clock::now();
		for (const RunnableTask &task : taken.tasks) {
			if (proc_state(task.pid)) {	// still there (a zombie counts)
				gone_since.erase(task.pid);
				continue;
			}
			auto since = gone_since.emplace(task.pid, now).first->second;
			EXPECT_LT(now - since, 1s) << "pid " << task.pid << " (" << task.comm
						   << ") is gone but still in the snapshot";
		}
		std::this_thread::sleep_for(10ms);
	}
	RecordProperty("snapshots", snapshots);
}

TEST_F(BackendConformance, KernelThreadsAndOnlyThemAreFlagged)
{
	// Busy loops on every CPU make woken kernel threads wait, so some are seen.
	std::vector<ChildProcess> load;
	for (int i = 0; i <= get_nprocs(); i++)
		load.push_back(spawn_cpu_task());

	int kernel_threads = 0, checked = 0;
	wait_until([&] {
		for (const RunnableTask &task : snapshot().tasks) {
			auto flags = proc_flags(task.pid);
			if (!flags)	// gone since the snapshot
				continue;
			EXPECT_EQ(task.kernel_thread, (*flags & pf_kthread) != 0)
				<< task.comm << " (pid " << task.pid << ")";
			kernel_threads += task.kernel_thread;
			checked++;
		}
		return kernel_threads > 0;
	}, 10s, 1ms);
	EXPECT_GT(kernel_threads, 0) << "no runnable kernel thread seen in 10 s (" << checked << " tasks checked)";
}

TEST_F(BackendConformance, SnapshotIsConsistent)
{
	ChildProcess task = spawn_cpu_task();
	ASSERT_TRUE(wait_for_cpu_task(task.pid()));

	std::uint64_t before = monotonic_ns();
	Snapshot taken = snapshot();
	std::uint64_t after = monotonic_ns();

	EXPECT_GE(taken.taken_ns, before);
	EXPECT_LE(taken.taken_ns, after);
	// This thread is running while it reads, so it is runnable.
	EXPECT_TRUE(find_task(taken, gettid()));
	std::set<pid_t> pids;
	for (const RunnableTask &runnable : taken.tasks) {
		EXPECT_TRUE(pids.insert(runnable.pid).second) << "pid " << runnable.pid << " twice";
		EXPECT_LT(runnable.cpu, unsigned(get_nprocs_conf())) << runnable.comm;
		EXPECT_LE(runnable.last_seen_ns, after) << runnable.comm << " seen in the future";
	}
}

TEST_F(BackendConformance, RuntimeAdvancesForBusyTasks)
{
	std::vector<ChildProcess> tasks;
	for (int i = 0; i <= get_nprocs(); i++)
		tasks.push_back(spawn_cpu_task());
	std::vector<std::uint64_t> first;
	for (const ChildProcess &task : tasks) {
		auto found = wait_for_cpu_task(task.pid());
		ASSERT_TRUE(found);
		first.push_back(found->runtime_ns);
	}
	std::this_thread::sleep_for(300ms);
	for (std::size_t i = 0; i < tasks.size(); i++) {
		auto later = wait_for_task(tasks[i].pid(), [&](const RunnableTask &task) {
			return task.runtime_ns > first[i];
		});
		EXPECT_TRUE(later) << "runtime of a busy task did not advance past " << first[i];
	}
}

} // namespace
} // namespace lottery::testing

int main(int argc, char **argv)
{
	::testing::InitGoogleTest(&argc, argv);
	lottery::testing::install_backend_environment();
	return RUN_ALL_TESTS();
}
