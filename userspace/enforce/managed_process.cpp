// SPDX-License-Identifier: MIT
#include "managed_process.h"

#include <csignal>
#include <cstring>
#include <system_error>
#include <unordered_set>

#include "agent_lock.h"
#include "proc_reader.h"

namespace lottery {

namespace {

std::string named(pid_t pid, const std::string &comm)
{
	return "pid " + std::to_string(pid) + (comm.empty() ? "" : " (" + comm + ")");
}

} // namespace

ManagedProcess ManagedProcess::open(pid_t pid, std::uint64_t expected_start_time)
{
	const std::string who = "pid " + std::to_string(pid);
	if (pid == getpid())
		throw ManageError(who + " is lottery itself");
	if (pid == 1)
		throw ManageError(who + " is init, which cannot be stopped");

	ManagedProcess process;
	process.pid_ = pid;
	try {
		process.pidfd_ = open_pidfd(pid);
	} catch (const std::system_error &e) {
		if (e.code().value() == ESRCH)
			throw ManageError(who + ": no such process");
		if (e.code().value() == EINVAL)
			throw ManageError(who + " is a thread, not a process: name its process (Tgid in /proc/" +
					  std::to_string(pid) + "/status)");
		throw ManageError(who + ": " + std::strerror(e.code().value()));
	}
	// From here on every read goes through the process's own directory.
	process.proc_dir_ = open_proc_dir(pid, process.pidfd_.get());
	auto stat = process.proc_dir_ ? read_proc_stat(process.proc_dir_.get()) : std::nullopt;
	if (!stat)
		throw ManageError(who + ": no such process");
	if (stat->flags & pf_kthread)
		throw ManageError(named(pid, stat->comm) +
				  " is a kernel thread: only user processes can be managed");
	if (expected_start_time && stat->start_time != expected_start_time)
		throw ManageError(who + " is no longer the process that was started (its pid was reused)");
	// Before any other check: a process another agent holds is stopped
	// now and then, and the user needs to hear of that agent, not of the stop.
	std::string holder;
	try {
		process.agent_lock_ = take_agent_lock(pid, stat->start_time, &holder);
	} catch (const std::system_error &e) {
		throw ManageError("cannot lock " + named(pid, stat->comm) + " for this agent: " +
				  e.what());
	}
	if (!process.agent_lock_)
		throw ManagedElsewhere(named(pid, stat->comm) + " is managed by " + holder +
				       ": stop that agent first");
	if (stat->state == 'T' || stat->state == 't')
		throw ManageError(named(pid, stat->comm) +
				  " is stopped or traced: continue it first (kill -CONT " +
				  std::to_string(pid) + ")");
	if (!process.refresh() || process.exited())
		throw ManageError(named(pid, stat->comm) + " has exited");
	try {
		pidfd_signal(process.pidfd_.get(), 0); // checks permission, does nothing
	} catch (const std::system_error &e) {
		throw ManageError("cannot manage " + named(pid, stat->comm) + ": " +
				  std::strerror(e.code().value()));
	}
	if (sched_getaffinity(pid, sizeof(cpu_set_t), &process.original_.process_affinity) < 0)
		throw ManageError(named(pid, stat->comm) + ": sched_getaffinity: " +
				  std::strerror(errno));
	return process;
}

bool ManagedProcess::refresh()
{
	auto stat = read_proc_stat(proc_dir_.get());
	auto euid = read_euid(proc_dir_.get());
	// A zombie leader may still have live threads: exit is the pidfd's to say.
	if (!stat || !euid)
		return false;
	task_.pid = pid_;
	task_.tgid = pid_;
	task_.uid = *euid;
	task_.nice = stat->nice;
	task_.policy = static_cast<SchedPolicy>(stat->policy);
	task_.comm = stat->comm;
	task_.kernel_thread = false;
	return true;
}

void ManagedProcess::pin(const cpu_set_t &cpus, Guardian &guardian)
{
	const bool first = !announced_;
	if (first)
		guardian.manage(pid_, pidfd_.get(), original_.process_affinity, agent_lock_.get());
	announced_ = true;
	std::unordered_set<pid_t> live;
	for (pid_t tid : list_threads(proc_dir_.get())) {
		live.insert(tid);
		if (pinned_.count(tid))
			continue;
		cpu_set_t current;
		if (sched_getaffinity(tid, sizeof(current), &current) < 0)
			continue; // exited meanwhile
		// A thread created after pinning inherited the pinned set: its
		// own choice is unknown, so it goes back to the process's. Only
		// threads whose affinity differs from the process's are
		// remembered, so that thread churn costs no memory.
		const cpu_set_t &original =
			!first && CPU_EQUAL(&current, &cpus) ? original_.process_affinity : current;
		if (!CPU_EQUAL(&original, &original_.process_affinity)) {
			guardian.thread_affinity(pid_, tid, original);
			original_.thread_affinity[tid] = original;
		}
		if (sched_setaffinity(tid, sizeof(cpus), &cpus) < 0 && errno != ESRCH)
			throw ManageError("cannot pin " + named(pid_, task_.comm) + " thread " +
					  std::to_string(tid) + ": " + std::strerror(errno));
	}
	pinned_ = std::move(live);
	std::erase_if(original_.thread_affinity, [&](const auto &entry) { return !pinned_.count(entry.first); });
}

std::size_t ManagedProcess::switch_to_sched_ext(Guardian &guardian)
{
	if (!announced_)
		guardian.manage(pid_, pidfd_.get(), original_.process_affinity);
	announced_ = true;
	std::size_t switched = 0;
	for (pid_t tid : list_threads(proc_dir_.get())) {
		auto policy = read_sched_policy(tid);
		if (!policy || !is_fair_policy(policy->policy))
			continue; // gone, already SCHED_EXT, or real-time: not ours to change
		guardian.thread_policy(pid_, tid, *policy);
		original_.thread_policy[tid] = *policy;
		ThreadPolicy ext = *policy;
		ext.policy = sched_ext_policy;
		if (!write_sched_policy(tid, ext)) {
			if (errno == ESRCH)
				continue;
			throw ManageError("cannot switch " + named(pid_, task_.comm) + " thread " +
					  std::to_string(tid) + " to SCHED_EXT: " + std::strerror(errno));
		}
		++switched;
	}
	return switched;
}

bool ManagedProcess::hold()
{
	held_ = pidfd_signal(pidfd_.get(), SIGSTOP);
	return held_;
}

bool ManagedProcess::release()
{
	held_ = false;
	return pidfd_signal(pidfd_.get(), SIGCONT);
}

ManagedProcess::Activity ManagedProcess::activity() const
{
	ThreadStates states = read_thread_states(proc_dir_.get());
	return Activity{states.runtime_ns, states.any_running, states.any_stopped};
}

bool ManagedProcess::restore()
{
	held_ = false;
	return restore_process(pid_, pidfd_.get(), original_);
}

} // namespace lottery
