// SPDX-License-Identifier: MIT
// The managed set and what a round does to it. The agent keeps its own
// view: a held process is stopped, so no tracer lists it, and it stays a
// candidate until it wins. A released one is a candidate when the snapshot
// lists one of its threads as runnable; otherwise it is blocked on its own
// and left alone until it wakes; when it wakes during a quantum it is held
// then, to wait for the next draw like any other. Each round the winners
// are released (SIGCONT) and the other candidates held (SIGSTOP).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "candidates.h"
#include "guardian.h"
#include "lottery.h"
#include "managed_process.h"
#include "snapshot.h"

namespace lottery {

struct ManagedEntry {
	ManagedProcess process;
	bool child = false; // started by `lottery run`: ours to reap
	std::uint64_t runtime_at_start = 0;
	std::uint64_t runtime_at_release = 0;
	std::uint64_t runtime_ns = 0; // since it was taken on
	std::uint64_t wins = 0;
};

struct DroppedProcess {
	pid_t pid = 0;
	std::string comm;
	std::optional<int> exit_code; // for our own children
	std::uint64_t runtime_ns = 0;
};

class Enforcer {
public:
	// Pins every process to cpus (the guardian told first). Throws
	// ManageError or GuardianLost.
	Enforcer(std::vector<ManagedEntry> managed, const cpu_set_t &cpus, Guardian &guardian);
	// Restores whatever is still managed, if restore_all() was not called.
	~Enforcer();
	Enforcer(const Enforcer &) = delete;
	Enforcer &operator=(const Enforcer &) = delete;

	// Processes that exited since the last call, forgotten by the
	// scheduler and the guardian; their pids are never used again.
	std::vector<DroppedProcess> drop_exited(Scheduler &scheduler);
	bool empty() const { return managed_.empty(); }
	std::size_t size() const { return managed_.size(); }

	// The managed processes that want a CPU, with their tickets.
	CandidateSet candidates(const Snapshot &snapshot, const TicketOverrides &overrides);

	// Holds the losing candidates, then releases the winners (the
	// result must come from candidates() of this round).
	void apply(const RoundResult &result, const CandidateSet &drawn);

	// Every winner of the round has blocked (or exited) on its own: its
	// CPUs are idle, so the quantum can end early.
	bool winners_blocked() const;
	// Holds the released processes that are not winners and have woken
	// since the draw: they wait for the next one.
	void hold_woken();
	// Some released process is runnable again (while no one was).
	bool any_runnable() const;

	// The winners' share of the quantum that they used: one that blocked
	// before its quantum ended gets compensation tickets (none without a
	// scheduler).
	void end_quantum(Scheduler *scheduler, std::uint64_t quantum_ns);

	// SIGKILL to the processes `lottery run` started, and reaps them.
	void kill_children();

	// Continues every process with its original affinity and lets the
	// guardian go. Returns how many were restored.
	std::size_t restore_all();

	const std::vector<ManagedEntry> &managed() const { return managed_; }

private:
	ManagedEntry *find(pid_t pid);

	std::vector<ManagedEntry> managed_;
	cpu_set_t cpus_;
	Guardian &guardian_;
	std::vector<pid_t> winners_;
	bool restored_ = false;
};

} // namespace lottery
