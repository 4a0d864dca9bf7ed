// SPDX-License-Identifier: MIT
#include "workload.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "proc_pid_stat.h"
#include "user_path.h"

namespace lottery {

namespace {

std::string errno_text(int err)
{
	return std::strerror(err);
}

// Starts one task; the child reports a failed setpriority or exec through a
// close-on-exec pipe, so the parent knows the task really runs the program.
WorkloadTask start_task(const std::string &program, int nice, double seconds)
{
	int report[2];
	if (pipe2(report, O_CLOEXEC) < 0)
		throw WorkloadError("pipe: " + errno_text(errno));
	std::string seconds_arg = std::to_string(seconds);
	pid_t pid = fork();
	if (pid < 0) {
		int err = errno;
		close(report[0]);
		close(report[1]);
		throw WorkloadError("fork: " + errno_text(err));
	}
	if (pid == 0) {
		close(report[0]);
		setsid(); // not killed with the terminal's foreground job
		// Nor holding our stdout: `pids=$(lottery-spawn ...)` must see EOF
		// when the spawner exits, not when the last task does.
		int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
		if (null_fd >= 0)
			for (int fd = 0; fd <= 2; fd++)
				dup2(null_fd, fd);
		int err = 0;
		if (setpriority(PRIO_PROCESS, 0, nice) < 0) {
			err = errno;
		} else {
			const char *argv[] = {program.c_str(), seconds > 0 ? seconds_arg.c_str() : nullptr,
					      nullptr};
			execv(program.c_str(), const_cast<char **>(argv));
			err = -errno; // negative: the exec failed, not setpriority
		}
		(void)!write(report[1], &err, sizeof(err));
		_exit(127);
	}
	close(report[1]);
	int err = 0;
	ssize_t n = read(report[0], &err, sizeof(err));
	close(report[0]);
	if (n == sizeof(err)) {
		waitpid(pid, nullptr, 0);
		if (err > 0)
			throw WorkloadError("cannot set nice " + std::to_string(nice) + ": " +
					    errno_text(err) +
					    (err == EACCES || err == EPERM ? " (negative nice needs root)" : ""));
		throw WorkloadError("cannot run " + program + ": " + errno_text(-err));
	}
	return WorkloadTask{pid, nice, process_start_time(pid)};
}

} // namespace

std::vector<int> spread_nice_values(int count, int min_nice, int max_nice)
{
	std::vector<int> nices;
	for (int i = 0; i < count; i++) {
		if (count == 1) {
			nices.push_back(min_nice);
			break;
		}
		// Rounded to nearest, so the ends are hit exactly.
		long span = static_cast<long>(max_nice - min_nice) * i;
		long step = (2 * span + (count - 1)) / (2 * (count - 1));
		nices.push_back(min_nice + static_cast<int>(step));
	}
	return nices;
}

std::uint64_t process_start_time(int pid)
{
	// A zombie has finished running: it counts as gone, whoever reaps it.
	auto stat = read_proc_stat_of(pid);
	return stat && !stat->finished() ? stat->start_time : 0;
}

std::vector<WorkloadTask> start_workload(const std::string &program, const std::vector<int> &nices,
					 double seconds)
{
	if (access(program.c_str(), X_OK) < 0)
		throw WorkloadError("cannot run " + program + ": " + errno_text(errno));
	std::vector<WorkloadTask> tasks;
	try {
		for (int nice : nices)
			tasks.push_back(start_task(program, nice, seconds));
	} catch (const WorkloadError &) {
		stop_workload(tasks);
		throw;
	}
	return tasks;
}

int stop_workload(const std::vector<WorkloadTask> &tasks)
{
	std::vector<const WorkloadTask *> ours;
	for (const auto &task : tasks) {
		// A pid whose start time changed belongs to someone else now.
		if (task.start_time != 0 && process_start_time(task.pid) == task.start_time &&
		    kill(task.pid, SIGTERM) == 0)
			ours.push_back(&task);
	}
	// Reap our own children; others are reaped by init once they exit.
	auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
	for (const auto *task : ours) {
		while (process_start_time(task->pid) == task->start_time &&
		       std::chrono::steady_clock::now() < deadline) {
			if (waitpid(task->pid, nullptr, WNOHANG) == task->pid)
				break;
			std::this_thread::sleep_for(std::chrono::milliseconds(5));
		}
		if (process_start_time(task->pid) == task->start_time) {
			kill(task->pid, SIGKILL);
			waitpid(task->pid, nullptr, 0);
		}
	}
	return static_cast<int>(ours.size());
}

void check_state_path(const std::string &path)
{
	try {
		open_user_path(path, {PathExpectation::regular_file}, "--state");
	} catch (const UserPathError &e) {
		if (e.errno_value() != ENOENT)
			throw StatePathError(e.what());
	}
}

void append_state(const std::string &path, const std::vector<WorkloadTask> &tasks)
{
	UniqueFd file;
	try {
		PathExpectation appended{PathExpectation::regular_file};
		appended.open_flags = O_WRONLY | O_CREAT | O_APPEND;
		file = open_user_path(path, appended, "--state");
	} catch (const UserPathError &e) {
		throw StatePathError(e.what());
	}
	const int fd = file.get();
	flock(fd, LOCK_EX);
	std::string text = format_spawn_state(tasks);
	bool ok = write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
	int err = errno;
	if (!ok)
		throw WorkloadError("cannot write " + path + ": " + errno_text(err));
}

std::vector<WorkloadTask> take_state(const std::string &path)
{
	std::vector<WorkloadTask> tasks;
	UniqueFd file;
	try {
		file = open_user_path(path, {PathExpectation::regular_file}, "--state");
	} catch (const UserPathError &e) {
		if (e.errno_value() == ENOENT)
			return tasks;
		throw StatePathError(e.what());
	}
	flock(file.get(), LOCK_EX);
	// Read through the locked fd: the path may name a newer file by now.
	std::string text;
	char buffer[4096];
	for (;;) {
		ssize_t n = read(file.get(), buffer, sizeof(buffer));
		if (n > 0)
			text.append(buffer, static_cast<std::size_t>(n));
		else if (n == 0 || errno != EINTR)
			break;
	}
	std::string error;
	auto taken = parse_spawn_state(text, &error);
	if (!taken)
		throw StatePathError("--state " + path + ": " + error);
	unlink(path.c_str());
	return *taken;
}

} // namespace lottery
