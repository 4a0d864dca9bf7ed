// SPDX-License-Identifier: MIT
#include "record_decode.h"

#include <cstring>

namespace lottery {

namespace {

bool known_policy(__u32 policy)
{
	switch (policy) {
	case LOTTERY_SCHED_NORMAL:
	case LOTTERY_SCHED_FIFO:
	case LOTTERY_SCHED_RR:
	case LOTTERY_SCHED_BATCH:
	case LOTTERY_SCHED_IDLE:
	case LOTTERY_SCHED_DEADLINE:
	case LOTTERY_SCHED_EXT:
		return true;
	default:
		return false;
	}
}

bool refuse(std::string *error, std::string why)
{
	if (error)
		*error = std::move(why);
	return false;
}

} // namespace

bool decode_task_record_into(const struct lottery_task &record, RunnableTask &task,
			     std::string *error)
{
	// pid 0 is the idle task, which is never in a runnable set; pid_max is
	// at most 2^22 (PID_MAX_LIMIT).
	constexpr __u32 pid_limit = 1U << 22;
	if (record.pid == 0 || record.pid > pid_limit)
		return refuse(error, "pid " + std::to_string(record.pid) + " is out of range");
	if (record.tgid == 0 || record.tgid > pid_limit)
		return refuse(error, "tgid " + std::to_string(record.tgid) + " is out of range");
	if (record.nice < -20 || record.nice > 19)
		return refuse(error, "nice " + std::to_string(record.nice) + " is out of range");
	if (!known_policy(record.policy))
		return refuse(error, "unknown scheduling policy " + std::to_string(record.policy));
	if (record.flags & ~LOTTERY_TASK_KTHREAD)
		return refuse(error, "unknown task flags");

	task.pid = static_cast<std::int32_t>(record.pid);
	task.tgid = static_cast<std::int32_t>(record.tgid);
	task.uid = record.uid;
	task.nice = record.nice;
	task.policy = static_cast<SchedPolicy>(record.policy);
	task.cpu = record.cpu;
	task.kernel_thread = record.flags & LOTTERY_TASK_KTHREAD;
	task.runtime_ns = record.runtime_ns;
	task.last_seen_ns = record.last_seen_ns;
	// comm need not be NUL-terminated in hostile input: never read past it.
	task.comm.assign(record.comm, strnlen(record.comm, sizeof(record.comm)));
	return true;
}

DecodeResult decode_task_record(const struct lottery_task &record)
{
	DecodeResult result;
	RunnableTask task;
	if (decode_task_record_into(record, task, &result.error))
		result.task = std::move(task);
	return result;
}

DecodeResult decode_task_record(std::span<const std::byte> bytes)
{
	struct lottery_task record;
	if (bytes.size() != sizeof(record))
		return DecodeResult{std::nullopt, "record of " + std::to_string(bytes.size()) +
							  " bytes, expected " + std::to_string(sizeof(record))};
	std::memcpy(&record, bytes.data(), sizeof(record));
	return decode_task_record(record);
}

} // namespace lottery
