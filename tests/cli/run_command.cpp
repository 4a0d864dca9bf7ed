// SPDX-License-Identifier: MIT
#include "run_command.h"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <map>

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace lottery::testing {

namespace fs = std::filesystem;

namespace {

// The directory of this process's copies, removed with everything in it
// when the process exits normally.
class ReachableDir {
public:
	ReachableDir()
	{
		const char *tmp = std::getenv("TMPDIR");
		std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/lottery-test.XXXXXX";
		if (mkdtemp(pattern.data()) && chmod(pattern.c_str(), 0755) == 0)
			path_ = pattern;
	}
	~ReachableDir()
	{
		std::error_code ignored;
		if (!path_.empty())
			fs::remove_all(path_, ignored);
	}
	const std::string &path() const { return path_; }

private:
	std::string path_;
};

} // namespace

std::string reachable_copy(const std::string &path)
{
	static ReachableDir dir;
	static std::map<std::string, std::string> copies;
	if (dir.path().empty())
		return path;
	auto [it, added] = copies.try_emplace(path);
	if (added) {
		std::string copy = dir.path() + "/" + fs::path(path).filename().string();
		std::error_code error;
		fs::copy_file(path, copy, fs::copy_options::overwrite_existing, error);
		if (!error)
			fs::permissions(copy, fs::perms(0755), error);
		it->second = error ? path : copy;
	}
	return it->second;
}

CommandResult run_command(const std::vector<std::string> &argv, std::optional<uid_t> as_user,
			  int timeout_ms)
{
	std::string program = as_user ? reachable_copy(argv.at(0)) : argv.at(0);
	int out_pipe[2], err_pipe[2];
	if (pipe2(out_pipe, O_CLOEXEC) < 0 || pipe2(err_pipe, O_CLOEXEC) < 0)
		return {};
	pid_t pid = fork();
	if (pid == 0) {
		dup2(out_pipe[1], 1);
		dup2(err_pipe[1], 2);
		if (as_user && (setgroups(0, nullptr) < 0 || setresgid(*as_user, *as_user, *as_user) < 0 ||
				setresuid(*as_user, *as_user, *as_user) < 0 || chdir("/") < 0))
			_exit(126);
		std::vector<char *> args;
		for (const auto &arg : argv)
			args.push_back(const_cast<char *>(arg.c_str()));
		args.push_back(nullptr);
		execv(program.c_str(), args.data());
		_exit(127);
	}
	close(out_pipe[1]);
	close(err_pipe[1]);

	CommandResult result;
	struct pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
	std::string *sinks[2] = {&result.out, &result.err};
	int open_fds = 2;
	bool killed = false;
	while (open_fds > 0) {
		int ready = poll(fds, 2, timeout_ms);
		if (ready == 0 && !killed) {
			kill(pid, SIGKILL); // a hang is a failure the test will see
			killed = true;
			continue;
		}
		if (ready < 0 && errno != EINTR)
			break;
		for (int i = 0; i < 2; i++) {
			if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP)))
				continue;
			char buf[4096];
			ssize_t n = read(fds[i].fd, buf, sizeof(buf));
			if (n > 0) {
				sinks[i]->append(buf, n);
			} else {
				close(fds[i].fd);
				fds[i].fd = -1;
				open_fds--;
			}
		}
	}
	int status = 0;
	waitpid(pid, &status, 0);
	result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	return result;
}

int count_lines(const std::string &text)
{
	int lines = 0;
	for (char c : text)
		lines += c == '\n';
	return lines + (!text.empty() && text.back() != '\n');
}

} // namespace lottery::testing
