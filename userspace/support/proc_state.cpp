// SPDX-License-Identifier: MIT
#include "proc_state.h"

#include <cstring>

#include <fcntl.h>
#include <unistd.h>

namespace lottery {

char proc_task_state(const char *stat_path)
{
	char buf[512];
	int fd = open(stat_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	const char *close_paren = std::strrchr(buf, ')');
	return close_paren && close_paren[1] == ' ' ? close_paren[2] : 0;
}

} // namespace lottery
