// SPDX-License-Identifier: MIT
#include "synthetic_tasks.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>

#include <unistd.h>

#include <bpf/bpf.h>

#include "lottery_task.h"
#include "timing.h"

namespace lottery::bench {

namespace {

// The decoder refuses pids above PID_MAX_LIMIT (2^22), the most pid_max can be.
constexpr __u32 pid_limit = 1U << 22;
// Room kept below pid_limit when pid_max is already at the limit: there a
// real task may share a synthetic pid; the tracer then overwrites the entry
// with the real task, which changes nothing the benchmark measures.
constexpr __u32 fallback_room = 1U << 20;

__u32 first_free_pid()
{
	unsigned long pid_max = 0;
	std::ifstream("/proc/sys/kernel/pid_max") >> pid_max;
	if (pid_max == 0 || pid_max >= pid_limit - fallback_room)
		return pid_limit - fallback_room;
	return static_cast<__u32>(pid_max) + 1;
}

// Nice values spread over the whole range, so the ticket table holds every
// weight from 15 to 88761 as on a mixed machine.
struct lottery_task synthetic_record(__u32 pid, long cpus)
{
	struct lottery_task record;

	std::memset(&record, 0, sizeof(record));
	record.pid = pid;
	record.tgid = pid;
	record.uid = 65534;
	record.nice = static_cast<__s32>(pid % 40) - 20;
	record.policy = LOTTERY_SCHED_NORMAL;
	record.cpu = static_cast<__u32>(pid % (cpus > 0 ? cpus : 1));
	record.runtime_ns = 1000000ULL * (pid % 1000);
	record.last_seen_ns = now_ns();
	std::strncpy(record.comm, "synthetic", sizeof(record.comm) - 1);
	return record;
}

} // namespace

SyntheticTasks::SyntheticTasks(int runnable_fd)
	: fd_(runnable_fd), first_pid_(first_free_pid()), next_pid_(first_pid_)
{
}

SyntheticTasks::~SyntheticTasks()
{
	if (!keep_)
		remove();
}

void SyntheticTasks::fill_to(std::size_t entries, std::size_t present)
{
	const long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	while (present < entries) {
		if (next_pid_ > pid_limit)
			throw std::system_error(ERANGE, std::generic_category(),
						"no pid left above pid_max for synthetic tasks");
		__u32 pid = next_pid_++;
		struct lottery_task record = synthetic_record(pid, cpus);
		if (bpf_map_update_elem(fd_, &pid, &record, BPF_NOEXIST) == 0) {
			inserted_.push_back(pid);
			present++;
		} else if (errno != EEXIST) { // EEXIST: left by a kept run, counted already
			throw std::system_error(errno, std::generic_category(),
						"inserting synthetic task " + std::to_string(pid));
		}
	}
}

void SyntheticTasks::remove()
{
	for (__u32 pid : inserted_)
		bpf_map_delete_elem(fd_, &pid);
	inserted_.clear();
}

} // namespace lottery::bench
