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

#include "restore.h"

namespace lottery {

struct GuardianMessage {
	enum Kind : std::uint32_t { manage = 1, thread = 2, drop = 3, done = 4, policy = 5 };
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
};

// One message and the fd it carries (-1 if none); 0 at end of stream, -1
// when nothing is waiting (MSG_DONTWAIT) or on error.
ssize_t receive(int socket, Message &message, int &fd, int flags)
{
	char control[CMSG_SPACE(sizeof(int))];
	struct iovec data = {&message, sizeof(message)};
	struct msghdr header = {};
	header.msg_iov = &data;
	header.msg_iovlen = 1;
	header.msg_control = control;
	header.msg_controllen = sizeof(control);
	fd = -1;
	ssize_t n;
	do
		n = recvmsg(socket, &header, flags | MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n > 0)
		for (auto *c = CMSG_FIRSTHDR(&header); c; c = CMSG_NXTHDR(&header, c))
			if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
				std::memcpy(&fd, CMSG_DATA(c), sizeof(int));
	if (n > 0 && n != static_cast<ssize_t>(sizeof(message))) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return n;
}

// Applies one message; true when the agent said it restored everything.
bool apply(std::unordered_map<pid_t, Guarded> &guarded, const Message &message, int fd)
{
	switch (message.kind) {
	case Message::manage:
		if (fd >= 0)
			guarded[message.pid] = Guarded{UniqueFd(fd), {message.affinity, {}, {}}};
		return false;
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
	if (fd >= 0)
		close(fd);
	return false;
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

[[noreturn]] void guard(int socket, int agent_pidfd, pid_t agent)
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
	int fd;
	for (;;) {
		struct pollfd watched[2] = {{socket, POLLIN, 0}, {agent_pidfd, POLLIN, 0}};
		if (poll(watched, 2, -1) < 0 && errno == EINTR)
			continue;
		if (watched[0].revents & POLLIN) {
			ssize_t n = receive(socket, message, fd, 0);
			if (n > 0 && apply(guarded, message, fd))
				_exit(0);
			if (n > 0)
				continue;
			break; // end of stream: the agent is gone
		}
		if (watched[0].revents || watched[1].revents)
			break;
	}
	// What the agent sent before it died is still queued: take it all.
	while (receive(socket, message, fd, MSG_DONTWAIT) > 0)
		if (apply(guarded, message, fd))
			_exit(0);

	int restored = 0;
	for (const auto &[pid, entry] : guarded)
		restored += restore_process(pid, entry.pidfd.get(), entry.original);
	if (!guarded.empty())
		dprintf(2,
			"lottery: the agent (pid %d) ended without restoring; its guardian resumed %d "
			"managed process%s with their original affinity\n",
			agent, restored, restored == 1 ? "" : "es");
	_exit(0);
}

} // namespace

Guardian::Guardian()
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
		guard(theirs.get(), agent_pidfd.get(), agent);
	socket_ = std::move(ours);
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

void Guardian::send(const GuardianMessage &message, int fd_to_pass)
{
	char control[CMSG_SPACE(sizeof(int))] = {};
	struct iovec data = {const_cast<Message *>(&message), sizeof(message)};
	struct msghdr header = {};
	header.msg_iov = &data;
	header.msg_iovlen = 1;
	if (fd_to_pass >= 0) {
		header.msg_control = control;
		header.msg_controllen = sizeof(control);
		auto *c = CMSG_FIRSTHDR(&header);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		std::memcpy(CMSG_DATA(c), &fd_to_pass, sizeof(int));
	}
	ssize_t n;
	do
		n = sendmsg(socket_.get(), &header, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n != static_cast<ssize_t>(sizeof(message)))
		throw GuardianLost("the guardian (pid " + std::to_string(pid_) +
				   ") is gone: " + std::strerror(n < 0 ? errno : EPIPE));
}

void Guardian::manage(pid_t pid, int pidfd, const cpu_set_t &process_affinity)
{
	send(Message{Message::manage, pid, 0, 0, process_affinity, {}}, pidfd);
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
		send(Message{Message::done, 0, 0, 0, {}, {}});
	} catch (const GuardianLost &) {
		// Gone already: nothing left to tell it.
	}
	socket_.reset();
	reap();
}

} // namespace lottery
