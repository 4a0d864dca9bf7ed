// SPDX-License-Identifier: MIT
#include "small_file.h"

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

#include "unique_fd.h"

namespace lottery {

std::optional<std::string> read_small_file(int dir, const std::string &path, std::size_t max_bytes)
{
	UniqueFd fd(openat(dir, path.c_str(), O_RDONLY | O_CLOEXEC));
	if (!fd)
		return std::nullopt;
	std::string text;
	char buffer[4096];
	for (;;) {
		ssize_t n = read(fd.get(), buffer, sizeof(buffer));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || text.size() + n > max_bytes)
			return std::nullopt;
		if (n == 0)
			return text;
		text.append(buffer, static_cast<std::size_t>(n));
	}
}

} // namespace lottery
