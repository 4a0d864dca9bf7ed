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
#include "scheduler.h"
#include "managed_process.h"
#include "mechanism.h"
#include "snapshot.h"

namespace lottery {

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
	// guardian; their pids are never used again.
	std::vector<DroppedProcess> drop_exited();
	bool empty() const { return managed_.empty(); }
	std::size_t size() const { return managed_.size(); }

	// The managed processes that want a CPU: held ones, and those with a
	// thread runnable in the snapshot.
	Snapshot wanting(const Snapshot &snapshot) const;

	// Holds the losing candidates, then releases the winners (drawn from
	// the candidates of wanting() of this round).
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
	// before its quantum ended earns compensation tickets; one still
	// runnable used all of it (cut short by the clock, or by other load).
	std::vector<TaskUsage> end_quantum(std::uint64_t quantum_ns);

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

// A command of `lottery run` that exited: its exit code (128 + signal when
// killed), reaped; nullopt for a process it did not start.
std::optional<int> reap_child(const ManagedEntry &entry);

// SIGKILL to the processes `lottery run` started, and reaps them.
void kill_children(std::vector<ManagedEntry> &managed);

} // namespace lottery
