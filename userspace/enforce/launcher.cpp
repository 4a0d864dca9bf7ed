// SPDX-License-Identifier: MIT
#include "launcher.h"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/time.h>
#include <sys/wait.h>

#include "text_format.h"

namespace lottery {

namespace {

ssize_t retry_read(int fd, void *buffer, size_t size)
{
	ssize_t n;
	do
		n = read(fd, buffer, size);
	while (n < 0 && errno == EINTR);
	return n;
}

[[noreturn]] void exec_when_told(const std::vector<std::string> &argv, int go, int report)
{
	// The agent catches the signals that end it and ignores job control:
	// the command, until its exec, must do neither.
	for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGALRM, SIGTSTP, SIGTTIN, SIGTTOU})
		signal(sig, SIG_DFL);
	struct itimerval off = {}; // a grace timer armed in here before the reset
	setitimer(ITIMER_REAL, &off, nullptr);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, nullptr);
	char byte;
	if (retry_read(go, &byte, 1) != 1)
		_exit(127); // the agent gave up on us (or died) before we started
	std::vector<char *> args;
	for (const auto &arg : argv)
		args.push_back(const_cast<char *>(arg.c_str()));
	args.push_back(nullptr);
	execvp(args[0], args.data());
	int err = errno;
	(void)!write(report, &err, sizeof(err));
	_exit(127);
}

} // namespace

PendingCommand::PendingCommand(const std::vector<std::string> &argv)
{
	if (argv.empty() || argv[0].empty())
		throw LaunchError("no command to run");
	program_ = argv[0];
	int go[2], report[2];
	if (pipe2(go, O_CLOEXEC) < 0)
		throw LaunchError(std::string("pipe: ") + std::strerror(errno));
	if (pipe2(report, O_CLOEXEC) < 0) {
		int err = errno;
		close(go[0]);
		close(go[1]);
		throw LaunchError(std::string("pipe: ") + std::strerror(err));
	}
	UniqueFd go_read(go[0]), report_write(report[1]);
	go_.reset(go[1]);
	report_.reset(report[0]);
	pid_ = fork();
	if (pid_ < 0)
		throw LaunchError(std::string("fork: ") + std::strerror(errno));
	if (pid_ == 0)
		exec_when_told(argv, go_read.get(), report_write.get());
}

PendingCommand::PendingCommand(PendingCommand &&other) noexcept
	: pid_(std::exchange(other.pid_, -1)), program_(std::move(other.program_)),
	  go_(std::move(other.go_)), report_(std::move(other.report_))
{
}

PendingCommand::~PendingCommand()
{
	if (pid_ > 0 && go_) {
		kill(pid_, SIGKILL); // ours, never started: its pid cannot be reused before we reap
		waitpid(pid_, nullptr, 0);
	}
}

void PendingCommand::start()
{
	char byte = 'x';
	(void)!write(go_.get(), &byte, 1);
	go_.reset();
	int err = 0;
	ssize_t n = retry_read(report_.get(), &err, sizeof(err));
	report_.reset();
	if (n == sizeof(err)) {
		waitpid(pid_, nullptr, 0);
		pid_ = -1;
		throw LaunchError("cannot run '" + text::printable(program_) + "': " + std::strerror(err));
	}
}

bool find_program(const std::string &name)
{
	if (name.find('/') != std::string::npos)
		return access(name.c_str(), X_OK) == 0;
	const char *path = getenv("PATH");
	std::string dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
	for (std::size_t start = 0; start <= dirs.size();) {
		std::size_t end = dirs.find(':', start);
		if (end == std::string::npos)
			end = dirs.size();
		std::string dir = end > start ? dirs.substr(start, end - start) : ".";
		if (access((dir + "/" + name).c_str(), X_OK) == 0)
			return true;
		start = end + 1;
	}
	return false;
}

int exit_code_of(int wait_status)
{
	if (WIFEXITED(wait_status))
		return WEXITSTATUS(wait_status);
	if (WIFSIGNALED(wait_status))
		return 128 + WTERMSIG(wait_status);
	return 1;
}

} // namespace lottery
