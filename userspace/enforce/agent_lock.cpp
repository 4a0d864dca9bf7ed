// SPDX-License-Identifier: MIT
#include "agent_lock.h"

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <system_error>

#include "proc_reader.h"
#include "text_format.h"

namespace lottery {

namespace {

struct LockName {
	struct sockaddr_un address = {};
	socklen_t length = 0;
};

LockName lock_name(pid_t pid, std::uint64_t start_time)
{
	const std::string name = "lottery/agent/" + std::to_string(pid) + "/" + std::to_string(start_time);
	LockName lock;
	lock.address.sun_family = AF_UNIX;
	// sun_path[0] stays NUL: the abstract namespace, no file.
	std::memcpy(lock.address.sun_path + 1, name.data(), name.size());
	lock.length = static_cast<socklen_t>(offsetof(struct sockaddr_un, sun_path) + 1 + name.size());
	return lock;
}

// A process's command line as one printable line, shortened if long.
std::string command_line(pid_t pid)
{
	auto text = read_small_file(AT_FDCWD, "/proc/" + std::to_string(pid) + "/cmdline", 4096);
	if (!text || text->empty())
		return "";
	while (!text->empty() && text->back() == '\0')
		text->pop_back();
	for (char &c : *text)
		if (c == '\0')
			c = ' ';
	constexpr std::size_t longest = 160;
	if (text->size() > longest)
		*text = text->substr(0, longest) + "...";
	return text::printable(*text);
}

std::string describe_holder(const LockName &lock)
{
	UniqueFd probe(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
	if (!probe)
		return "another lottery agent";
	if (connect(probe.get(), reinterpret_cast<const struct sockaddr *>(&lock.address),
		    lock.length) != 0) {
		if (errno == ECONNREFUSED)
			return "a process that is not a lottery agent (it holds the name '@" +
			       std::string(lock.address.sun_path + 1,
					   lock.length - offsetof(struct sockaddr_un, sun_path) - 1) +
			       "')";
		return "another lottery agent";
	}
	struct ucred peer = {};
	socklen_t size = sizeof(peer);
	if (getsockopt(probe.get(), SOL_SOCKET, SO_PEERCRED, &peer, &size) != 0 || peer.pid <= 0)
		return "another lottery agent";
	const std::string who = "lottery agent pid " + std::to_string(peer.pid);
	const std::string command = command_line(peer.pid);
	if (command.empty())
		return who + ", which has ended: its guardian is still restoring the process";
	return who + " (" + command + ")";
}

} // namespace

UniqueFd take_agent_lock(pid_t pid, std::uint64_t start_time, std::string *holder)
{
	const LockName lock = lock_name(pid, start_time);
	UniqueFd fd(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
	if (!fd)
		throw std::system_error(errno, std::generic_category(), "socket");
	if (bind(fd.get(), reinterpret_cast<const struct sockaddr *>(&lock.address), lock.length) != 0) {
		if (errno != EADDRINUSE)
			throw std::system_error(errno, std::generic_category(), "bind");
		*holder = describe_holder(lock);
		return UniqueFd();
	}
	// Listening lets a second agent ask who we are; nobody is ever accepted.
	if (listen(fd.get(), SOMAXCONN) != 0)
		throw std::system_error(errno, std::generic_category(), "listen");
	return fd;
}

} // namespace lottery
