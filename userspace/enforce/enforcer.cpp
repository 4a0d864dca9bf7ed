// SPDX-License-Identifier: MIT
#include "enforcer.h"

#include <algorithm>
#include <csignal>
#include <sys/wait.h>
#include <unordered_set>

#include "launcher.h"

namespace lottery {

namespace {

// Runtime since it was taken on. Threads that exit take their runtime
// with them from the sum, so the count never goes back.
void account(ManagedEntry &entry, const ManagedProcess::Activity &activity)
{
	if (activity.runtime_ns > entry.runtime_at_start)
		entry.runtime_ns =
			std::max(entry.runtime_ns, activity.runtime_ns - entry.runtime_at_start);
}

} // namespace

std::optional<int> reap_child(const ManagedEntry &entry)
{
	if (!entry.child)
		return std::nullopt;
	siginfo_t info = {};
	if (waitid(P_PIDFD, entry.process.pidfd(), &info, WEXITED | WNOHANG) < 0 || info.si_pid == 0)
		return std::nullopt;
	return info.si_code == CLD_EXITED ? info.si_status : 128 + info.si_status;
}

void kill_children(std::vector<ManagedEntry> &managed)
{
	for (auto &entry : managed) {
		if (!entry.child)
			continue;
		pidfd_signal(entry.process.pidfd(), SIGKILL);
		siginfo_t info;
		waitid(P_PIDFD, entry.process.pidfd(), &info, WEXITED);
	}
}

Enforcer::Enforcer(std::vector<ManagedEntry> managed, const cpu_set_t &cpus, Guardian &guardian)
	: managed_(std::move(managed)), cpus_(cpus), guardian_(guardian)
{
	try {
		for (auto &entry : managed_) {
			entry.process.pin(cpus_, guardian_);
			entry.runtime_at_start = entry.process.activity().runtime_ns;
		}
	} catch (...) {
		restore_all();
		throw;
	}
}

Enforcer::~Enforcer()
{
	try {
		restore_all();
	} catch (...) {
		// The guardian restores what we could not.
	}
}

ManagedEntry *Enforcer::find(pid_t pid)
{
	auto it = std::find_if(managed_.begin(), managed_.end(),
			       [&](const ManagedEntry &entry) { return entry.process.pid() == pid; });
	return it == managed_.end() ? nullptr : &*it;
}

std::vector<DroppedProcess> Enforcer::drop_exited()
{
	std::vector<DroppedProcess> dropped;
	for (auto it = managed_.begin(); it != managed_.end();) {
		auto &process = it->process;
		if (!process.exited() && process.refresh()) {
			account(*it, process.activity());
			++it;
			continue;
		}
		dropped.push_back(DroppedProcess{process.pid(), process.comm(), reap_child(*it), it->runtime_ns});
		guardian_.drop(process.pid());
		it = managed_.erase(it);
	}
	return dropped;
}

Snapshot Enforcer::wanting(const Snapshot &snapshot) const
{
	std::unordered_set<std::int32_t> runnable;
	for (const auto &task : snapshot.tasks)
		runnable.insert(task.tgid);
	Snapshot wanting;
	wanting.taken_ns = snapshot.taken_ns;
	// A full source may have missed a released process that woke: the
	// round says so.
	wanting.lost_tasks = snapshot.lost_tasks;
	wanting.misses_since_load = snapshot.misses_since_load;
	for (const auto &entry : managed_)
		if (entry.process.held() || runnable.count(entry.process.pid()))
			wanting.tasks.push_back(entry.process.task());
	return wanting;
}

void Enforcer::apply(const RoundResult &result, const CandidateSet &drawn)
{
	// An agent stopped since its last wait learns here, before it holds
	// anything, that its guardian released the set meanwhile.
	guardian_.heartbeat();
	std::unordered_set<std::int32_t> winning;
	for (const auto &winner : result.winners)
		winning.insert(winner.task.pid);
	// Losers first, so that at no moment more processes run than CPUs.
	// A repeated SIGSTOP is harmless, and catches a process someone else
	// continued behind our back.
	for (const auto &candidate : drawn.candidates)
		if (!winning.count(candidate.task.pid))
			find(candidate.task.pid)->process.hold();
	winners_.clear();
	for (const auto &winner : result.winners) {
		ManagedEntry *entry = find(winner.task.pid);
		entry->process.pin(cpus_, guardian_); // threads it made since
		entry->runtime_at_release = entry->process.activity().runtime_ns;
		entry->process.release();
		++entry->wins;
		winners_.push_back(winner.task.pid);
	}
}

bool Enforcer::winners_blocked() const
{
	return std::none_of(winners_.begin(), winners_.end(), [&](pid_t pid) {
		auto it = std::find_if(managed_.begin(), managed_.end(), [&](const ManagedEntry &e) {
			return e.process.pid() == pid;
		});
		return it != managed_.end() && !it->process.exited() && it->process.activity().runnable;
	});
}

void Enforcer::hold_woken()
{
	for (auto &entry : managed_) {
		const pid_t pid = entry.process.pid();
		if (!entry.process.held() &&
		    std::find(winners_.begin(), winners_.end(), pid) == winners_.end() &&
		    entry.process.activity().runnable)
			entry.process.hold();
	}
}

bool Enforcer::any_runnable() const
{
	return std::any_of(managed_.begin(), managed_.end(), [](const ManagedEntry &entry) {
		return !entry.process.held() && entry.process.activity().runnable;
	});
}

std::vector<TaskUsage> Enforcer::end_quantum(std::uint64_t quantum_ns)
{
	std::vector<TaskUsage> usage;
	for (pid_t pid : winners_) {
		ManagedEntry *entry = find(pid);
		if (!entry)
			continue;
		auto activity = entry->process.activity();
		account(*entry, activity);
		// Only a winner that blocked on its own earns compensation; one
		// still runnable was cut short by the clock, or by other load.
		std::uint64_t used = activity.runtime_ns - std::min(activity.runtime_ns,
								     entry->runtime_at_release);
		usage.push_back(TaskUsage{pid, activity.runnable ? quantum_ns : used, quantum_ns});
	}
	winners_.clear();
	return usage;
}

void Enforcer::kill_children()
{
	lottery::kill_children(managed_);
}

std::size_t Enforcer::restore_all()
{
	if (restored_)
		return 0;
	restored_ = true;
	std::size_t restored = 0;
	for (auto &entry : managed_)
		restored += entry.process.restore();
	guardian_.finish();
	return restored;
}

} // namespace lottery
