// SPDX-License-Identifier: MIT
#include "guardian.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <system_error>
#include <unordered_map>

#include "clock.h"
#include "restore.h"

namespace lottery {

struct GuardianMessage {
	// heartbeat: the agent runs; released goes the other way, to say the
	// guardian restored everything after a stall.
	enum Kind : std::uint32_t {
		manage = 1, thread = 2, drop = 3, done = 4, policy = 5, heartbeat = 6, released = 7
	};
	std::uint32_t kind;
	std::int32_t pid;
	std::int32_t tid;
	std::uint32_t reserved;
	cpu_set_t affinity;
	ThreadPolicy original_policy; // kind policy: what tid goes back to
};

namespace {

using Message = GuardianMessage;

struct Guarded {
	UniqueFd pidfd;
	OriginalSettings original;
	UniqueFd agent_lock; // see agent_lock.h: no other agent takes it meanwhile
};

// The fds a message carries: a pidfd and an agent lock at most.
struct PassedFds {
	UniqueFd first, second;
};

// One message and the fds it carries; 0 at end of stream, -1 when nothing
// is waiting (MSG_DONTWAIT) or on error.
ssize_t receive(int socket, Message &message, PassedFds &fds, int flags)
{
	char control[CMSG_SPACE(2 * sizeof(int))];
	struct iovec data = {&message, sizeof(message)};
	struct msghdr header = {};
	header.msg_iov = &data;
	header.msg_iovlen = 1;
	header.msg_control = control;
	header.msg_controllen = sizeof(control);
	fds = PassedFds();
	ssize_t n;
	do
		n = recvmsg(socket, &header, flags | MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n > 0)
		for (auto *c = CMSG_FIRSTHDR(&header); c; c = CMSG_NXTHDR(&header, c)) {
			if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
				continue;
			int passed[2] = {-1, -1};
			std::memcpy(passed, CMSG_DATA(c),
				    std::min<std::size_t>(c->cmsg_len - CMSG_LEN(0), sizeof(passed)));
			fds.first.reset(passed[0]);
			fds.second.reset(passed[1]);
		}
	if (n > 0 && n != static_cast<ssize_t>(sizeof(message)))
		return -1;
	return n;
}

// Applies one message; true when the agent said it restored everything.
bool apply(std::unordered_map<pid_t, Guarded> &guarded, const Message &message, PassedFds &fds)
{
	switch (message.kind) {
	case Message::manage:
		if (fds.first)
			guarded[message.pid] = Guarded{std::move(fds.first), {message.affinity, {}, {}},
						       std::move(fds.second)};
		break;
	case Message::thread:
		if (auto it = guarded.find(message.pid); it != guarded.end())
			it->second.original.thread_affinity[message.tid] = message.affinity;
		break;
	case Message::policy:
		if (auto it = guarded.find(message.pid); it != guarded.end())
			it->second.original.thread_policy[message.tid] = message.original_policy;
		break;
	case Message::drop:
		guarded.erase(message.pid);
		break;
	case Message::done:
		return true;
	}
	return false;
}

int restore_all(const std::unordered_map<pid_t, Guarded> &guarded)
{
	int restored = 0;
	for (const auto &[pid, entry] : guarded)
		restored += restore_process(pid, entry.pidfd.get(), entry.original);
	return restored;
}

const char *processes(int count)
{
	return count == 1 ? "process" : "processes";
}

// Closes every fd but stderr and the two the guardian needs (both >= 3).
void close_all_but(int a, int b)
{
	if (a > b)
		std::swap(a, b);
	int null = open("/dev/null", O_RDWR);
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
	}
	if (a > 3)
		close_range(3, a - 1, 0);
	if (b > a + 1)
		close_range(a + 1, b - 1, 0);
	close_range(b + 1, ~0U, 0);
}

[[noreturn]] void guard(int socket, int agent_pidfd, pid_t agent, std::uint64_t stall_bound_ns)
{
	setsid(); // not in the agent's process group: a Ctrl-C is not ours
	prctl(PR_SET_NAME, "lottery-guard");
	for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU, SIGPIPE})
		signal(sig, SIG_IGN);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, nullptr);
	close_all_but(socket, agent_pidfd);

	std::unordered_map<pid_t, Guarded> guarded;
	Message message;
	PassedFds fds;
	// After a stall everything was restored once; the agent may hold some
	// again before it learns of it, so its end (even an orderly one) is
	// followed by a second restore.
	bool released = false;
	std::uint64_t heard_ns = monotonic_ns();
	for (;;) {
		const std::uint64_t now = monotonic_ns();
		const std::uint64_t silent = now - heard_ns;
		if (stall_bound_ns && !released && silent >= stall_bound_ns && !guarded.empty()) {
			int restored = restore_all(guarded);
			dprintf(2,
				"lottery: the agent (pid %d) sent no heartbeat for %llu ms (stopped or "
				"stalled); its guardian resumed %d managed %s with their original "
				"affinity\n",
				agent, static_cast<unsigned long long>(silent / 1000000), restored,
				processes(restored));
			Message notice{Message::released, 0, 0, 0, {}, {}};
			::send(socket, &notice, sizeof(notice), MSG_DONTWAIT | MSG_NOSIGNAL);
			released = true;
		}
		int timeout_ms = -1;
		if (stall_bound_ns && !released)
			timeout_ms = static_cast<int>(
				(stall_bound_ns - std::min(silent, stall_bound_ns)) / 1000000 + 1);
		struct pollfd watched[2] = {{socket, POLLIN, 0}, {agent_pidfd, POLLIN, 0}};
		int ready = poll(watched, 2, timeout_ms);
		if (ready < 0 && errno == EINTR)
			continue;
		if (ready == 0) {
			if (guarded.empty()) // nothing held: nothing to release yet
				heard_ns = monotonic_ns();
			continue;
		}
		if (watched[0].revents & POLLIN) {
			ssize_t n = receive(socket, message, fds, 0);
			heard_ns = monotonic_ns();
			if (n > 0 && apply(guarded, message, fds) && !released)
				_exit(0);
			if (n > 0 && message.kind != Message::done)
				continue;
			break; // end of stream: the agent is gone (or done after a release)
		}
		if (watched[0].revents || watched[1].revents)
			break;
	}
	// What the agent sent before it died is still queued: take it all.
	while (receive(socket, message, fds, MSG_DONTWAIT) > 0)
		if (apply(guarded, message, fds) && !released)
			_exit(0);

	int restored = restore_all(guarded);
	if (released)
		_exit(0); // said so already
	if (!guarded.empty())
		dprintf(2,
			"lottery: the agent (pid %d) ended without restoring; its guardian resumed %d "
			"managed %s with their original affinity\n",
			agent, restored, processes(restored));
	_exit(0);
}

} // namespace

std::uint64_t stall_bound_ns(std::uint64_t quantum_ns)
{
	return std::max<std::uint64_t>(3 * quantum_ns, 1000000000ULL);
}

Guardian::Guardian(std::uint64_t stall_bound_ns) : stall_bound_ns_(stall_bound_ns)
{
	UniqueFd agent_pidfd = open_pidfd(getpid());
	int pair[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) < 0)
		throw std::system_error(errno, std::generic_category(), "socketpair");
	UniqueFd ours(pair[0]), theirs(pair[1]);
	pid_t agent = getpid();
	pid_ = fork();
	if (pid_ < 0)
		throw std::system_error(errno, std::generic_category(), "fork");
	if (pid_ == 0)
		guard(theirs.get(), agent_pidfd.get(), agent, stall_bound_ns);
	socket_ = std::move(ours);
	last_sent_ns_ = monotonic_ns();
	pidfd_ = open_pidfd(pid_);
}

Guardian::~Guardian()
{
	socket_.reset();
	reap();
}

void Guardian::reap()
{
	if (pid_ > 0)
		while (waitpid(pid_, nullptr, 0) < 0 && errno == EINTR)
			;
	pid_ = -1;
}

bool Guardian::lost() const
{
	return pid_ <= 0 || pidfd_exited(pidfd_.get());
}

void Guardian::send(const GuardianMessage &message, int fd_to_pass, int second_fd)
{
	check_released();
	char control[CMSG_SPACE(2 * sizeof(int))] = {};
	const int passed[2] = {fd_to_pass, second_fd};
	const std::size_t passed_count = second_fd >= 0 ? 2 : 1;
	struct iovec data = {const_cast<Message *>(&message), sizeof(message)};
	struct msghdr header = {};
	header.msg_iov = &data;
	header.msg_iovlen = 1;
	if (fd_to_pass >= 0) {
		header.msg_control = control;
		header.msg_controllen = CMSG_SPACE(passed_count * sizeof(int));
		auto *c = CMSG_FIRSTHDR(&header);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(passed_count * sizeof(int));
		std::memcpy(CMSG_DATA(c), passed, passed_count * sizeof(int));
	}
	ssize_t n;
	do
		n = sendmsg(socket_.get(), &header, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n != static_cast<ssize_t>(sizeof(message)))
		throw GuardianLost("the guardian (pid " + std::to_string(pid_) +
				   ") is gone: " + std::strerror(n < 0 ? errno : EPIPE));
	last_sent_ns_ = monotonic_ns();
}

void Guardian::check_released()
{
	Message notice;
	PassedFds none;
	if (receive(socket_.get(), notice, none, MSG_DONTWAIT) > 0 && notice.kind == Message::released)
		throw GuardianReleased(
			"this agent was stopped or stalled for over " +
			std::to_string(stall_bound_ns_ / 1000000) + " ms, so its guardian (pid " +
			std::to_string(pid_) + ") released the managed processes: the run ends here");
}

void Guardian::heartbeat()
{
	if (!stall_bound_ns_)
		return;
	// A message every tenth of the bound is plenty, whatever the quantum.
	if (monotonic_ns() - last_sent_ns_ >= stall_bound_ns_ / 10)
		send(Message{Message::heartbeat, 0, 0, 0, {}, {}});
	else
		check_released();
}

void Guardian::manage(pid_t pid, int pidfd, const cpu_set_t &process_affinity, int lock_fd)
{
	send(Message{Message::manage, pid, 0, 0, process_affinity, {}}, pidfd, lock_fd);
}

void Guardian::thread_affinity(pid_t pid, pid_t tid, const cpu_set_t &affinity)
{
	send(Message{Message::thread, pid, tid, 0, affinity, {}});
}

void Guardian::thread_policy(pid_t pid, pid_t tid, const ThreadPolicy &original)
{
	send(Message{Message::policy, pid, tid, 0, {}, original});
}

void Guardian::drop(pid_t pid)
{
	send(Message{Message::drop, pid, 0, 0, {}, {}});
}

void Guardian::finish()
{
	if (pid_ <= 0)
		return;
	try {
		Message done{Message::done, 0, 0, 0, {}, {}};
		// Not send(): a release notice must not stop the goodbye.
		if (::send(socket_.get(), &done, sizeof(done), MSG_NOSIGNAL) != sizeof(done))
			throw GuardianLost("gone");
	} catch (const GuardianLost &) {
		// Gone already: nothing left to tell it.
	}
	socket_.reset();
	reap();
}

} // namespace lottery
