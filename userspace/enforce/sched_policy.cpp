// SPDX-License-Identifier: MIT
#include "sched_policy.h"

#include <cerrno>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace lottery {

namespace {

// include/uapi/linux/sched/types.h; glibc 2.36 has no wrapper.
struct SchedAttr {
	std::uint32_t size;
	std::uint32_t sched_policy;
	std::uint64_t sched_flags;
	std::int32_t sched_nice;
	std::uint32_t sched_priority;
	std::uint64_t sched_runtime;
	std::uint64_t sched_deadline;
	std::uint64_t sched_period;
};

constexpr std::uint64_t reset_on_fork = 0x01; // SCHED_FLAG_RESET_ON_FORK

} // namespace

std::optional<ThreadPolicy> read_sched_policy(pid_t tid)
{
	SchedAttr attr = {};
	if (syscall(SYS_sched_getattr, tid, &attr, sizeof(attr), 0) != 0)
		return std::nullopt;
	return ThreadPolicy{static_cast<std::int32_t>(attr.sched_policy), attr.sched_nice,
			   attr.sched_flags & reset_on_fork};
}

bool is_fair_policy(int policy)
{
	return policy == SCHED_OTHER || policy == SCHED_BATCH || policy == SCHED_IDLE;
}

bool write_sched_policy(pid_t tid, const ThreadPolicy &policy)
{
	SchedAttr attr = {};
	attr.size = sizeof(attr);
	attr.sched_policy = policy.policy;
	attr.sched_flags = policy.flags & reset_on_fork;
	attr.sched_nice = policy.nice;
	return syscall(SYS_sched_setattr, tid, &attr, 0) == 0;
}

bool restore_sched_policy(pid_t tid, const ThreadPolicy &original)
{
	auto now = read_sched_policy(tid);
	if (!now || now->policy != sched_ext_policy)
		return false;
	ThreadPolicy back = original;
	back.nice = now->nice; // a renice while managed stays
	return write_sched_policy(tid, back);
}

} // namespace lottery
