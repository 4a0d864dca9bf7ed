// SPDX-License-Identifier: MIT
#include "pidfd.h"

#include <cerrno>
#include <fcntl.h>
#include <poll.h>
#include <csignal>
#include <string>
#include <sys/syscall.h>
#include <system_error>

namespace lottery {

namespace {

// By syscall: glibc 2.36's <sys/pidfd.h> declares its wrappers without C
// linkage, so C++ cannot link against them.
int pidfd_open(pid_t pid, unsigned int flags)
{
	return static_cast<int>(syscall(SYS_pidfd_open, pid, flags));
}

int pidfd_send_signal(int pidfd, int sig, siginfo_t *info, unsigned int flags)
{
	return static_cast<int>(syscall(SYS_pidfd_send_signal, pidfd, sig, info, flags));
}

} // namespace

UniqueFd open_pidfd(pid_t pid)
{
	int fd = pidfd_open(pid, 0);
	if (fd < 0)
		throw std::system_error(errno, std::generic_category(),
					"pidfd_open " + std::to_string(pid));
	return UniqueFd(fd);
}

bool pidfd_exited(int pidfd)
{
	struct pollfd entry = {pidfd, POLLIN, 0};
	return poll(&entry, 1, 0) > 0 && (entry.revents & (POLLIN | POLLHUP | POLLERR));
}

bool pidfd_signal(int pidfd, int sig)
{
	if (pidfd_send_signal(pidfd, sig, nullptr, 0) == 0)
		return true;
	if (errno == ESRCH)
		return false;
	throw std::system_error(errno, std::generic_category(), "pidfd_send_signal");
}

UniqueFd open_proc_dir(pid_t pid, int pidfd)
{
	const std::string path = "/proc/" + std::to_string(pid);
	UniqueFd dir(open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	if (!dir || pidfd_exited(pidfd))
		return UniqueFd();
	return dir;
}

} // namespace lottery
