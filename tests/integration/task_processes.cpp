// SPDX-License-Identifier: MIT
#include "task_processes.h"

#include "run_command.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <utility>

#include <grp.h>
#include <pthread.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace lottery::testing {

namespace {

// Seconds after which a busy loop stops by itself, should every kill miss.
constexpr const char *cpu_task_lifetime = "120";

// In the child, after any change of credentials (which clears it).
void die_with_parent(pid_t parent)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(1);
}

pid_t fork_or_throw()
{
	pid_t pid = fork();
	if (pid < 0)
		throw std::runtime_error("fork failed");
	return pid;
}

} // namespace

ChildProcess::ChildProcess(ChildProcess &&other) noexcept : pid_(std::exchange(other.pid_, -1)) {}

ChildProcess &ChildProcess::operator=(ChildProcess &&other) noexcept
{
	if (this != &other) {
		kill_and_reap();
		pid_ = std::exchange(other.pid_, -1);
	}
	return *this;
}

ChildProcess::~ChildProcess()
{
	kill_and_reap();
}

void ChildProcess::signal(int signo) const
{
	if (pid_ > 0)
		::kill(pid_, signo);
}

void ChildProcess::kill_and_reap()
{
	if (pid_ <= 0)
		return;
	::kill(pid_, SIGKILL);
	while (waitpid(pid_, nullptr, 0) < 0 && errno == EINTR)
		;
	pid_ = -1;
}

ChildProcess spawn_cpu_task(int nice, int policy, std::optional<uid_t> uid)
{
	static const std::string cpu_task =
		program_path("LOTTERY_CPU_TASK", "cpu_task", LOTTERY_CPU_TASK_PATH);
	// Another user may not reach the build directory (a clone under /root).
	const std::string program = uid ? reachable_copy(cpu_task) : cpu_task;
	pid_t parent = getpid();
	pid_t pid = fork_or_throw();

	if (pid == 0) {
		struct sched_param param = {};
		if (setpriority(PRIO_PROCESS, 0, nice) || sched_setscheduler(0, policy, &param))
			_exit(126);
		if (uid && (setgroups(0, nullptr) || setresgid(*uid, *uid, *uid) ||
			    setresuid(*uid, *uid, *uid) || chdir("/")))
			_exit(126);
		die_with_parent(parent);
		execl(program.c_str(), "cpu_task", cpu_task_lifetime, (char *)nullptr);
		_exit(127);
	}
	return ChildProcess(pid);
}

ChildProcess spawn_sleeper()
{
	pid_t parent = getpid();
	pid_t pid = fork_or_throw();

	if (pid == 0) {
		int ends[2];
		char byte;
		die_with_parent(parent);
		// It holds the write end itself, so the read never sees EOF.
		if (pipe(ends) == 0)
			while (read(ends[0], &byte, 1) < 0 && errno == EINTR)
				;
		_exit(0);
	}
	return ChildProcess(pid);
}

ChildProcess spawn_churn(std::chrono::milliseconds duration)
{
	pid_t parent = getpid();
	pid_t pid = fork_or_throw();

	if (pid == 0) {
		die_with_parent(parent);
		auto until = std::chrono::steady_clock::now() + duration;
		while (std::chrono::steady_clock::now() < until) {
			pid_t child = fork();
			if (child == 0)
				_exit(0);
			if (child > 0)
				waitpid(child, nullptr, 0);
		}
		_exit(0);
	}
	return ChildProcess(pid);
}

namespace {

struct ExecThread {
	const char *program;
	int report_fd;
};

void *spin_then_exec(void *arg)
{
	auto *exec = static_cast<ExecThread *>(arg);
	pid_t tid = gettid();
	auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(100);

	(void)!write(exec->report_fd, &tid, sizeof(tid));
	while (std::chrono::steady_clock::now() < until)
		;
	execl(exec->program, "cpu_task", cpu_task_lifetime, (char *)nullptr);
	_exit(127);
}

} // namespace

ChildProcess spawn_exec_from_thread(pid_t &thread_tid)
{
	static const std::string cpu_task =
		program_path("LOTTERY_CPU_TASK", "cpu_task", LOTTERY_CPU_TASK_PATH);
	int ends[2];
	if (pipe(ends))
		throw std::runtime_error("pipe failed");
	pid_t parent = getpid();
	pid_t pid = fork_or_throw();

	if (pid == 0) {
		static ExecThread exec = {cpu_task.c_str(), ends[1]};
		pthread_t thread;
		die_with_parent(parent);
		if (pthread_create(&thread, nullptr, spin_then_exec, &exec))
			_exit(126);
		for (;;)
			pause();
	}
	close(ends[1]);
	thread_tid = 0;
	ssize_t got = read(ends[0], &thread_tid, sizeof(thread_tid));
	close(ends[0]);
	if (got != sizeof(thread_tid))
		thread_tid = 0;
	return ChildProcess(pid);
}

std::string program_path(const char *env_var, const char *name, const char *built_path)
{
	if (const char *value = std::getenv(env_var); value && *value)
		return value;
	char self[4096];
	ssize_t length = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (length > 0) {
		std::string beside(self, length);
		beside = beside.substr(0, beside.find_last_of('/') + 1) + name;
		if (access(beside.c_str(), X_OK) == 0)
			return beside;
	}
	return built_path;
}

namespace {

// The fields of /proc/<pid>/stat after "(comm)", which may hold spaces.
std::optional<std::istringstream> stat_fields(pid_t pid)
{
	std::ifstream file("/proc/" + std::to_string(pid) + "/stat");
	std::string line;
	if (!std::getline(file, line))
		return std::nullopt;
	auto close = line.rfind(')');
	if (close == std::string::npos)
		return std::nullopt;
	return std::istringstream(line.substr(close + 1));
}

} // namespace

char proc_state(pid_t pid)
{
	auto fields = stat_fields(pid);
	char state = 0;
	if (fields)
		*fields >> state;
	return state;
}

std::optional<unsigned long> proc_flags(pid_t pid)
{
	auto fields = stat_fields(pid);
	std::string skip;
	unsigned long flags;
	// state ppid pgrp session tty_nr tpgid, then flags (proc(5) fields 3-9).
	if (!fields || !(*fields >> skip >> skip >> skip >> skip >> skip >> skip >> flags))
		return std::nullopt;
	return flags;
}

std::optional<RunnableTask> find_task(const Snapshot &snapshot, pid_t pid)
{
	for (const RunnableTask &task : snapshot.tasks)
		if (task.pid == pid)
			return task;
	return std::nullopt;
}

bool wait_until(const std::function<bool()> &done, std::chrono::milliseconds timeout,
		std::chrono::milliseconds period)
{
	auto deadline = std::chrono::steady_clock::now() + timeout;
	while (!done()) {
		if (std::chrono::steady_clock::now() >= deadline)
			return done();
		std::this_thread::sleep_for(period);
	}
	return true;
}

} // namespace lottery::testing
