// SPDX-License-Identifier: MIT
// What the engine knows of the machine: the runnable tasks at one moment,
// decoded from either kernel-side source into plain C++ values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace lottery {

enum class SchedPolicy : std::uint32_t {
	Normal = 0,
	Fifo = 1,
	RoundRobin = 2,
	Batch = 3,
	Idle = 5,
	Deadline = 6,
	Ext = 7,
};

// Short name as the kernel and chrt print it: "normal", "fifo", "rr",
// "batch", "idle", "deadline", "ext".
const char *policy_name(SchedPolicy policy);

struct RunnableTask {
	std::int32_t pid = 0;  // thread id
	std::int32_t tgid = 0; // process id
	std::uint32_t uid = 0;
	std::int32_t nice = 0;
	SchedPolicy policy = SchedPolicy::Normal;
	std::uint32_t cpu = 0;
	bool kernel_thread = false;
	std::uint64_t runtime_ns = 0;
	std::uint64_t last_seen_ns = 0;
	std::string comm;
};

struct Snapshot {
	std::vector<RunnableTask> tasks;
	std::uint64_t taken_ns = 0;   // CLOCK_MONOTONIC
	std::uint64_t lost_tasks = 0; // runnable tasks the source could not hold (map full, snapshot cap)
};

} // namespace lottery
