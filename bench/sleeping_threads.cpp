// SPDX-License-Identifier: MIT
#include "sleeping_threads.h"

#include <cerrno>
#include <csignal>
#include <string>
#include <system_error>

#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace lottery::bench {

namespace {

void *sleep_forever(void *)
{
	for (;;)
		pause();
	return nullptr;
}

// In the child: start the threads, say how many started, sleep.
[[noreturn]] void run_sleepers(std::size_t count, int ready_fd, pid_t parent)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(1);
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, PTHREAD_STACK_MIN); // 10 000 of them
	std::size_t started = 0;
	for (pthread_t thread; started < count; ++started)
		if (pthread_create(&thread, &attr, sleep_forever, nullptr))
			break;
	ssize_t ignored = write(ready_fd, &started, sizeof(started));
	(void)ignored;
	close(ready_fd);
	sleep_forever(nullptr);
	_exit(0);
}

} // namespace

SleepingThreads::SleepingThreads(std::size_t count)
{
	int pipe_fds[2];
	if (pipe2(pipe_fds, O_CLOEXEC))
		throw std::system_error(errno, std::generic_category(), "pipe for the sleeping threads");
	const pid_t parent = getpid();
	child_ = fork();
	if (child_ < 0) {
		int error = errno;
		close(pipe_fds[0]);
		close(pipe_fds[1]);
		throw std::system_error(error, std::generic_category(), "forking the sleeping threads");
	}
	if (child_ == 0) {
		close(pipe_fds[0]);
		run_sleepers(count, pipe_fds[1], parent);
	}
	close(pipe_fds[1]);
	std::size_t started = 0;
	ssize_t n = read(pipe_fds[0], &started, sizeof(started));
	close(pipe_fds[0]);
	if (n != sizeof(started) || started != count) {
		kill(child_, SIGKILL);
		waitpid(child_, nullptr, 0);
		throw std::system_error(EAGAIN, std::generic_category(),
					"started " + std::to_string(n == sizeof(started) ? started : 0) + " of " +
						std::to_string(count) + " sleeping threads");
	}
}

SleepingThreads::~SleepingThreads()
{
	kill(child_, SIGKILL);
	waitpid(child_, nullptr, 0);
}

} // namespace lottery::bench
