// SPDX-License-Identifier: MIT
#include "proc_scan.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>

#include <dirent.h>
#include <fcntl.h>

#include "proc_pid_stat.h"
#include "small_file.h"

namespace lottery::bench {

namespace {

char thread_state(const char *process, const char *thread)
{
	// As ps does: the whole stat line, parsed (the one parser of it).
	char path[600];
	std::snprintf(path, sizeof(path), "/proc/%s/task/%s/stat", process, thread);
	auto line = read_small_file(AT_FDCWD, path);
	auto stat = line ? parse_proc_stat(*line) : std::nullopt;
	return stat ? stat->state : 0;
}

} // namespace

ProcScan scan_proc()
{
	ProcScan scan;
	DIR *proc = opendir("/proc");
	if (!proc)
		throw std::runtime_error(std::string("opening /proc: ") + std::strerror(errno));
	char path[300];
	while (struct dirent *process = readdir(proc)) {
		if (process->d_name[0] < '1' || process->d_name[0] > '9')
			continue;
		std::snprintf(path, sizeof(path), "/proc/%s/task", process->d_name);
		DIR *threads = opendir(path);
		if (!threads)
			continue; // gone meanwhile
		while (struct dirent *thread = readdir(threads)) {
			if (thread->d_name[0] == '.')
				continue;
			char state = thread_state(process->d_name, thread->d_name);
			scan.tasks += state != 0;
			scan.runnable += state == 'R';
		}
		closedir(threads);
	}
	closedir(proc);
	return scan;
}

} // namespace lottery::bench
