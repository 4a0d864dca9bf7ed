// SPDX-License-Identifier: MIT
#include "agent_process.h"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "task_processes.h"

namespace lottery::testing {

namespace {

std::string temp_file(const char *what)
{
	std::string path = "/tmp/lottery-enforce-test-" + std::string(what) + "-XXXXXX";
	int fd = mkstemp(path.data());
	if (fd < 0)
		throw std::runtime_error("mkstemp failed");
	close(fd);
	return path;
}

std::string slurp(const std::string &path)
{
	std::ifstream file(path);
	std::ostringstream text;
	text << file.rdbuf();
	return text.str();
}

} // namespace

const std::string &lottery_path()
{
	static const std::string path = program_path("LOTTERY_BIN", "lottery", LOTTERY_BIN_PATH);
	return path;
}

AgentProcess::AgentProcess(const std::vector<std::string> &args, int stdout_fd)
	: out_path_(temp_file("out")), err_path_(temp_file("err"))
{
	pid_ = fork();
	if (pid_ < 0)
		throw std::runtime_error("fork failed");
	if (pid_ == 0) {
		int out = open(out_path_.c_str(), O_WRONLY | O_TRUNC);
		int err = open(err_path_.c_str(), O_WRONLY | O_TRUNC);
		if (out < 0 || err < 0 || dup2(stdout_fd >= 0 ? stdout_fd : out, 1) < 0 || dup2(err, 2) < 0)
			_exit(126);
		std::vector<char *> argv{const_cast<char *>(lottery_path().c_str())};
		for (const auto &arg : args)
			argv.push_back(const_cast<char *>(arg.c_str()));
		argv.push_back(nullptr);
		execv(argv[0], argv.data());
		_exit(127);
	}
}

AgentProcess::~AgentProcess()
{
	if (!exit_code_) {
		::kill(pid_, SIGKILL);
		while (waitpid(pid_, nullptr, 0) < 0 && errno == EINTR)
			;
	}
	unlink(out_path_.c_str());
	unlink(err_path_.c_str());
}

void AgentProcess::signal(int signo) const
{
	if (!exit_code_)
		::kill(pid_, signo);
}

std::optional<int> AgentProcess::wait(std::chrono::milliseconds timeout)
{
	auto deadline = std::chrono::steady_clock::now() + timeout;
	while (!exit_code_) {
		int status;
		pid_t done = waitpid(pid_, &status, WNOHANG);
		if (done == pid_)
			exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		else if (std::chrono::steady_clock::now() >= deadline)
			break;
		else
			std::this_thread::sleep_for(std::chrono::milliseconds(5));
	}
	return exit_code_;
}

std::string AgentProcess::out() const
{
	return slurp(out_path_);
}

std::string AgentProcess::err() const
{
	return slurp(err_path_);
}

pid_t AgentProcess::guardian_pid() const
{
	const std::string text = out();
	const std::string key = "guardian pid ";
	auto at = text.find(key);
	return at == std::string::npos ? 0 : std::atoi(text.c_str() + at + key.size());
}

std::uint64_t cpu_ns(pid_t pid)
{
	std::ifstream file("/proc/" + std::to_string(pid) + "/schedstat");
	std::uint64_t ns = 0;
	file >> ns;
	return ns;
}

cpu_set_t affinity_of(pid_t pid)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	sched_getaffinity(pid, sizeof(set), &set);
	return set;
}

cpu_set_t cpus(std::initializer_list<int> list)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	for (int cpu : list)
		CPU_SET(cpu, &set);
	return set;
}

pid_t unused_pid()
{
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	waitpid(pid, nullptr, 0);
	return pid;
}

} // namespace lottery::testing
