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
const char *sched_policy_name(SchedPolicy policy);

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
	// Two counts with one meaning each, whatever the backend:
	//
	// lost_tasks: runnable tasks missing from THIS snapshot, as far as the
	// source can tell. chardev: those beyond the module's cap
	// (runnable_count - record_count in the header). bpf: the inserts its
	// full map refused since the previous snapshot (since the source was
	// opened, for the first), an upper bound since one task may be refused
	// twice, plus records refused in this read. iter: always 0, the
	// iterator walks every task. A round drawn while this is not 0 is not
	// the lottery the user asked for.
	std::uint64_t lost_tasks = 0;
	// misses_since_load: a history, never reset between snapshots. bpf:
	// every insert the full map refused since the tracer loaded (its misses
	// map, as `lottery-tracer status` shows it). chardev and iter keep no
	// such count: 0.
	std::uint64_t misses_since_load = 0;
};

} // namespace lottery
