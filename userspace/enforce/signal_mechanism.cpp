// SPDX-License-Identifier: MIT
#include "signal_mechanism.h"

#include "enforce_setup.h"
#include "option_values.h"

namespace lottery {

SignalMechanism::SignalMechanism(std::vector<unsigned> cpus, std::uint64_t period_ns)
	: cpus_(std::move(cpus)), guardian_(stall_bound_ns(period_ns))
{
}

void SignalMechanism::take_on(std::vector<ManagedEntry> entries)
{
	enforcer_.emplace(std::move(entries), to_cpu_set(cpus_), guardian_);
}

MechanismDescription SignalMechanism::describe() const
{
	return {std::string("on CPU") + (cpus_.size() > 1 ? "s " : " ") + format_cpu_list(cpus_),
		"guardian pid " + std::to_string(guardian_.pid())};
}

std::vector<DroppedProcess> SignalMechanism::drop_exited()
{
	return enforcer_->drop_exited();
}

std::size_t SignalMechanism::size() const
{
	return enforcer_->size();
}

Snapshot SignalMechanism::wanting(const Snapshot &snapshot) const
{
	return enforcer_->wanting(snapshot);
}

void SignalMechanism::begin_period(const CandidateSet &table, const RoundResult *draw)
{
	drew_ = draw != nullptr;
	if (draw)
		enforcer_->apply(*draw, table);
}

bool SignalMechanism::period_may_end()
{
	// Polled every few ms: the guardian's heartbeat, and its notice when
	// it released the set while the agent was stopped.
	guardian_.heartbeat();
	if (guardian_.lost())
		throw GuardianLost("the guardian (pid " + std::to_string(guardian_.pid()) +
				   ") died: nothing could restore the managed processes after a crash");
	if (!drew_)
		// Every managed process was blocked on its own: draw again
		// when one wakes.
		return enforcer_->any_runnable();
	enforcer_->hold_woken();
	return enforcer_->winners_blocked();
}

PeriodReport SignalMechanism::end_period(std::uint64_t period_ns)
{
	return PeriodReport{enforcer_->end_quantum(period_ns), {}};
}

std::vector<CpuRow> SignalMechanism::cpu_time() const
{
	std::vector<CpuRow> rows;
	for (const auto &entry : enforcer_->managed())
		rows.push_back(CpuRow{entry.process.pid(), entry.process.comm(), 0, 0, 0, entry.runtime_ns});
	return rows;
}

void SignalMechanism::kill_children()
{
	if (enforcer_)
		enforcer_->kill_children();
}

SignalMechanism::Restored SignalMechanism::restore_all()
{
	return {enforcer_ ? enforcer_->restore_all() : 0, "running, with their original affinity"};
}

} // namespace lottery
