// SPDX-License-Identifier: MIT
// The loader of bpf/lottery_scx.bpf.c: loads the sched_ext scheduler,
// attaches it through a kernel BPF link (so that the kernel detaches it
// when the last fd of the link closes, however this process ends), writes
// the engine's tickets into it and reads its counters and exit info back.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "scheduler.h"

namespace lottery {

// Loading or attaching failed: one line, ready to print after "lottery: ".
class ScxError : public std::runtime_error {
	using std::runtime_error::runtime_error;
};

// Whether this kernel can run a sched_ext scheduler now. On no, a one-line
// reason: no sched_ext in this kernel, or another scheduler loaded.
struct ScxAvailability {
	bool available = false;
	bool kernel_has_it = false;
	std::string reason;
};
ScxAvailability scx_availability(const std::string &sysfs_dir = "/sys/kernel/sched_ext");

struct ScxSettings {
	DrawPolicy draw_policy = DrawPolicy::Lottery;
	bool whole_machine = false;	 // else SCX_OPS_SWITCH_PARTIAL
	std::uint64_t slice_ns = 10'000'000;
	bool compensation = true;
	bool cgroup_weights = true;
	std::int32_t starve_tgid = 0;	 // test switch: never drawn, so ejected
	bool fifo_baseline = false;	 // bench switch: a FIFO queue, no draw
	bool verbose = false;		 // libbpf's messages on stderr
};

struct ScxCounters {
	std::uint64_t dispatches = 0, prev_kept = 0, dispatched = 0, empty = 0, retries = 0,
		      stale = 0, overflow = 0, enqueued = 0;
	std::uint64_t queued = 0; // the most a CPU could draw from, at its last dispatch
	std::uint64_t draws() const { return prev_kept + dispatched; }
	// The kernel's BPF run-time statistics of ops.dispatch and ops.enqueue:
	// zero unless they are on (kernel.bpf_stats_enabled, or --debug).
	std::uint64_t dispatch_calls = 0, dispatch_ns = 0, enqueue_calls = 0, enqueue_ns = 0;
};

struct ScxTaskStats {
	std::int32_t tid = 0;
	std::int32_t tgid = 0;
	std::uint64_t wins = 0;
	std::uint64_t runtime_ns = 0;
	std::uint64_t tickets = 0;
};

// ops.exit's report: why the kernel stopped the scheduler.
struct ScxExit {
	int kind = 0; // enum scx_exit_kind
	std::int64_t exit_code = 0;
	std::string reason;
	std::string message;
	// The kernel ejected it (an error), as opposed to being unloaded.
	bool ejected() const { return kind >= 1024; }
	std::string kind_name() const;
};

// What detach() may take: closing the link waits while the kernel switches
// every task back (hundreds of ms in a loaded TCG VM), then for ops.exit's
// report. A stop signal's grace period allows for it.
inline constexpr std::uint64_t scx_detach_ms = 1000;

class ScxScheduler {
public:
	// Loads and attaches. Throws ScxError.
	explicit ScxScheduler(const ScxSettings &settings);
	// Detaches (if still attached) and frees everything.
	~ScxScheduler();
	ScxScheduler(const ScxScheduler &) = delete;
	ScxScheduler &operator=(const ScxScheduler &) = delete;

	// Tickets for a task (by tid) or all threads of a process (by tgid);
	// the task's own entry wins. Throws ScxError when the map is full.
	void set_tickets(std::int32_t id, std::uint64_t tickets);
	void clear_tickets(std::int32_t id);
	// A process's currency (1 .. max_currency(); 0: none), and what funds
	// each: the tickets its members hold when all are runnable (their
	// task_tickets summed). Throws ScxError.
	void set_currency(std::int32_t tgid, std::uint32_t currency);
	void set_funding(std::uint32_t currency, std::uint64_t tickets);
	static std::uint32_t max_currency();

	ScxCounters counters() const;
	std::vector<ScxTaskStats> task_stats() const;

	// Set once the kernel has called ops.exit (ejection or detach).
	std::optional<ScxExit> exit_info() const;

	// Closes the link: the kernel switches every task back to its own
	// scheduler. Waits up to scx_detach_ms for ops.exit's report.
	void detach();

	const ScxSettings &settings() const { return settings_; }

private:
	struct Skeleton;
	std::unique_ptr<Skeleton> skel_;
	ScxSettings settings_;
	int link_fd_ = -1;
	int stats_fd_ = -1; // BPF run-time statistics on while it is open
	int nr_cpus_ = 1;
};

} // namespace lottery
