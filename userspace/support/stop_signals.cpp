// SPDX-License-Identifier: MIT
#include "stop_signals.h"

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <iterator>
#include <fcntl.h>
#include <poll.h>
#include <sys/time.h>
#include <unistd.h>

namespace lottery {

namespace {

constexpr int caught[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

// The handlers' state: plain values and a self-pipe that wakes wait_until.
volatile sig_atomic_t stop_signal = 0;
volatile sig_atomic_t reread = 0;
volatile sig_atomic_t hup_rereads = 0;
std::uint64_t grace_ns = 0;
int wake_read = -1, wake_write = -1;

void on_signal(int sig)
{
	const int saved_errno = errno;
	if (sig == SIGHUP && hup_rereads) {
		reread = 1;
	} else if (!stop_signal) {
		stop_signal = sig;
		struct itimerval grace = {};
		grace.it_value.tv_sec = static_cast<time_t>(grace_ns / 1000000000ULL);
		grace.it_value.tv_usec = static_cast<suseconds_t>(grace_ns % 1000000000ULL / 1000);
		setitimer(ITIMER_REAL, &grace, nullptr);
	}
	char byte = 0;
	(void)!write(wake_write, &byte, 1);
	errno = saved_errno;
}

// The grace period ended before lottery acted on the stop signal: it takes
// its default action now.
void on_grace_over(int)
{
	const int sig = stop_signal;
	signal(sig, SIG_DFL);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, nullptr);
	raise(sig);
}

} // namespace

std::uint64_t stop_grace_ms(std::uint64_t interval_ms)
{
	return std::max(interval_ms, min_stop_grace_ms);
}

StopSignals::StopSignals(std::uint64_t grace_ms, bool hup_rereads_file)
{
	int pipe_fds[2];
	if (pipe2(pipe_fds, O_CLOEXEC | O_NONBLOCK) == 0) {
		wake_read = pipe_fds[0];
		wake_write = pipe_fds[1];
	}
	stop_signal = 0;
	reread = 0;
	hup_rereads = hup_rereads_file;
	grace_ns = grace_ms * 1000000ULL;

	struct sigaction action = {};
	action.sa_handler = on_grace_over;
	sigemptyset(&action.sa_mask);
	sigaction(SIGALRM, &action, &saved_alarm_);
	action.sa_handler = on_signal;
	action.sa_flags = SA_RESTART; // the rest of lottery never sees EINTR
	for (int sig : caught)
		sigaddset(&action.sa_mask, sig);
	for (std::size_t i = 0; i < std::size(caught); ++i)
		sigaction(caught[i], &action, &saved_[i]);
}

StopSignals::~StopSignals()
{
	struct itimerval off = {};
	setitimer(ITIMER_REAL, &off, nullptr);
	for (std::size_t i = 0; i < std::size(caught); ++i)
		sigaction(caught[i], &saved_[i], nullptr);
	sigaction(SIGALRM, &saved_alarm_, nullptr);
	close(wake_read);
	close(wake_write);
	wake_read = wake_write = -1;
}

int StopSignals::wait_until(std::uint64_t deadline_ns)
{
	for (;;) {
		if (stop_signal)
			return stop_signal;
		if (reread) {
			reread = 0;
			return SIGHUP;
		}
		std::uint64_t now = monotonic_ns();
		if (now >= deadline_ns)
			return 0;
		std::uint64_t left = deadline_ns - now;
		struct timespec timeout = {static_cast<time_t>(left / 1000000000ULL),
					   static_cast<long>(left % 1000000000ULL)};
		struct pollfd wake = {wake_read, POLLIN, 0};
		if (ppoll(&wake, 1, &timeout, nullptr) > 0) {
			char drained[64];
			while (read(wake_read, drained, sizeof(drained)) > 0)
				;
		}
	}
}

} // namespace lottery
