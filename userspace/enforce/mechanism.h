// SPDX-License-Identifier: MIT
// How the engine's decisions take effect on a managed set: the seam between
// the enforced run (enforced_run.h) and a mechanism.
//
// The run owns everything the mechanisms share: the managed set's tickets
// (--tickets, the tickets file reread on SIGHUP, `lottery run`'s per-command
// tickets), currencies (--per-user, --group), compensation tickets, the
// draw policy, the round lines and the summary. It works in periods:
//
//   drop_exited()               who left (the run forgets them)
//   wanting(snapshot)           who takes part in this period's tickets
//   begin_period(table, draw)   the engine's per-task tickets for the period,
//                               and the winners when the run drew them
//   period_may_end()            polled every few ms until the period is over
//   end_period(period_ns)       what happened: compensation, kernel counters
//
// --rounds counts the periods with a draw, in the run or in the kernel.
//
// Two kinds of mechanism fit it:
// - Userspace draws (draws_in_userspace(), today's SignalMechanism): the
//   run draws winners_per_draw() winners each period and hands them to
//   begin_period(); the mechanism makes exactly them run for the period
//   (signals and CPU affinity, with a guardian process for crash safety).
// - Kernel draws (the sched_ext scheduler): the kernel draws at every
//   dispatch; begin_period() gets no draw, only the ticket table (the
//   engine's tickets with compensation, see Scheduler::with_compensation),
//   which it passes on when it changed (reload, compensation, membership);
//   end_period() reports the kernel's per-task wins and CPU time; the run
//   prints them as the period's statistics.
// Either throws EnforcementFailed from any call when it can no longer keep
// its promises (guardian gone, scheduler ejected by the kernel): the run
// then restores everything and exits 1 with the reason.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

#include "candidates.h"
#include "enforce_errors.h"
#include "enforce_report.h"
#include "managed_process.h"
#include "scheduler.h"
#include "snapshot.h"

namespace lottery {

// One process the run manages, as handed to a mechanism.
struct ManagedEntry {
	ManagedProcess process;
	bool child = false; // started by `lottery run`: ours to reap
	std::uint64_t runtime_at_start = 0;
	std::uint64_t runtime_at_release = 0;
	std::uint64_t runtime_ns = 0; // since it was taken on
	std::uint64_t wins = 0;
};

// A managed process that exited; its pid is never used again.
struct DroppedProcess {
	pid_t pid = 0;
	std::string comm;
	std::optional<int> exit_code; // for our own children
	std::uint64_t runtime_ns = 0;
	std::uint64_t wins = 0; // the kernel's, when it drew
};

// How much of its period a task used: a winner that blocked early earns
// compensation tickets (Scheduler::record_usage).
struct TaskUsage {
	std::int32_t pid = 0;
	std::uint64_t used_ns = 0;
	std::uint64_t period_ns = 0;
};

// A kernel-side draw's count for one managed process over the period,
// summed over its threads.
struct TaskCounters {
	std::int32_t pid = 0;
	std::string comm;
	std::uint64_t tickets = 0; // as the kernel last drew them, its threads' summed
	std::uint64_t wins = 0;
	std::uint64_t cpu_ns = 0;
};

// The kernel's draws over the period, for the statistics line.
struct KernelDraws {
	double seconds = 0;
	std::uint64_t draws = 0;
	std::uint64_t queued = 0;	   // the most a CPU could draw from, at its last dispatch
	std::uint64_t retries = 0;
	std::uint64_t overflow = 0;
	double dispatch_ns = 0;		   // per call; 0 without BPF run-time statistics
	double enqueue_ns = 0;
};

struct PeriodReport {
	std::vector<TaskUsage> usage;	     // for compensation, when it is on
	std::vector<TaskCounters> counters; // empty when the run drew
	std::optional<KernelDraws> draws;   // when the kernel drew
};

// For the start line: "lottery: enforcing <where> for N managed processes:
// backend ..., seed S, <safeguard>" (no backend or seed when the kernel
// draws).
struct MechanismDescription {
	std::string where;     // "on CPU 0"
	std::string safeguard; // "guardian pid 1234"
};

class EnforcementMechanism {
public:
	virtual ~EnforcementMechanism() = default;

	// Takes hold of the managed set (the commands of `lottery run` among
	// them, not started yet). Throws ManageError or EnforcementFailed;
	// nothing stays changed then.
	virtual void take_on(std::vector<ManagedEntry> entries) = 0;
	virtual MechanismDescription describe() const = 0;

	virtual std::vector<DroppedProcess> drop_exited() = 0;
	virtual std::size_t size() const = 0;
	// The managed processes that take part in this period's tickets, as
	// tasks (their pid, uid, nice, policy): the signal mechanism names
	// those that want a CPU, a kernel scheduler all of them.
	virtual Snapshot wanting(const Snapshot &snapshot) const = 0;

	virtual bool draws_in_userspace() const = 0;
	// Meaningful only with draws_in_userspace().
	virtual std::size_t winners_per_draw() const = 0;
	// table: every task of wanting() with its tickets for the period
	// (empty: none wants a CPU). draw: the run's draw from table, or null.
	virtual void begin_period(const CandidateSet &table, const RoundResult *draw) = 0;
	// True when the period can end early (the winners all blocked; with
	// an empty table, some process woke).
	virtual bool period_may_end() = 0;
	virtual PeriodReport end_period(std::uint64_t period_ns) = 0;

	// Each managed process with the CPU time it received (pid, comm,
	// cpu_ns, and the kernel's wins when it drew); the run adds the
	// tickets, promised share and its own draws' wins.
	virtual std::vector<CpuRow> cpu_time() const = 0;
	// SIGKILL to the commands the run started, and reaps them: a run that
	// fails to start leaves nothing behind.
	virtual void kill_children() = 0;
	// Puts every managed process back as it was; how many, and what
	// "back" means for the line the run prints ("running, with their
	// original affinity").
	struct Restored {
		std::size_t count = 0;
		std::string how;
	};
	virtual Restored restore_all() = 0;
	// With --json, a line after the summary (the kernel's exit info), or
	// empty.
	virtual std::string closing_json() const { return {}; }
};

} // namespace lottery
