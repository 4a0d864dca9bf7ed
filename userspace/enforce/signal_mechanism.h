// SPDX-License-Identifier: MIT
// Today's mechanism (doc/enforcement.md): the managed set is pinned to a
// CPU set; each period the run's winners are released (SIGCONT) and every
// other candidate held (SIGSTOP), through pidfds; a guardian process puts
// everything back if the agent dies.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "enforcer.h"
#include "guardian.h"
#include "mechanism.h"

namespace lottery {

class SignalMechanism final : public EnforcementMechanism {
public:
	// Forks the guardian (before any command is forked, so it holds none
	// of their pipes), which releases the set when the agent stalls for
	// stall_bound_ns(period_ns). cpus: online, at least one. Throws
	// std::system_error.
	SignalMechanism(std::vector<unsigned> cpus, std::uint64_t period_ns);

	void take_on(std::vector<ManagedEntry> entries) override;
	MechanismDescription describe() const override;

	std::vector<DroppedProcess> drop_exited() override;
	std::size_t size() const override;
	Snapshot wanting(const Snapshot &snapshot) const override;

	bool draws_in_userspace() const override { return true; }
	std::size_t winners_per_draw() const override { return cpus_.size(); }
	void begin_period(const CandidateSet &table, const RoundResult *draw) override;
	bool period_may_end() override;
	PeriodReport end_period(std::uint64_t period_ns) override;

	std::vector<CpuRow> cpu_time() const override;
	void kill_children() override;
	Restored restore_all() override;

private:
	std::vector<unsigned> cpus_;
	Guardian guardian_;
	std::optional<Enforcer> enforcer_;
	bool drew_ = false; // this period has winners
};

} // namespace lottery
