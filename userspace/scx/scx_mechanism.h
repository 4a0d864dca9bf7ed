// SPDX-License-Identifier: MIT
// --mechanism kernel on a managed set: the sched_ext scheduler
// (bpf/lottery_scx.bpf.c) as an EnforcementMechanism (mechanism.h). The
// managed processes are switched to SCHED_EXT, with the scheduler loaded
// with SCX_OPS_SWITCH_PARTIAL, so no other task is touched; the kernel
// draws at every dispatch; each period the run's tickets go into the
// scheduler's maps and the kernel's wins and CPU time come back. Whatever
// ends lottery, the kernel unloads the scheduler (its BPF link closes with
// the process) and the guardian puts every thread's policy back.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <unordered_map>
#include <string>
#include <vector>

#include "enforced_run.h"
#include "guardian.h"
#include "mechanism.h"
#include "scx_report.h"
#include "scx_scheduler.h"

namespace lottery {

// The scheduler's settings for a run (and its test and benchmark switches,
// from the environment).
ScxSettings scx_settings(const EnforcedRunConfig &config);

class KernelMechanism final : public EnforcementMechanism {
public:
	// Forks the guardian; the scheduler loads in take_on(), the managed
	// set is switched to SCHED_EXT in the first begin_period(). cpus: the
	// managed set's, empty to leave their affinity alone. Currencies as
	// the run funds them (--per-user, --group), so that the kernel funds
	// only a currency's runnable members.
	KernelMechanism(const ScxSettings &settings, std::vector<unsigned> cpus, bool per_user,
			std::vector<TaskGroup> groups);

	void take_on(std::vector<ManagedEntry> entries) override;
	MechanismDescription describe() const override;

	std::vector<DroppedProcess> drop_exited() override;
	std::size_t size() const override { return managed_.size(); }
	Snapshot wanting(const Snapshot &snapshot) const override;

	bool draws_in_userspace() const override { return false; }
	std::size_t winners_per_draw() const override { return 0; }
	void begin_period(const CandidateSet &table, const RoundResult *draw) override;
	bool period_may_end() override;
	PeriodReport end_period(std::uint64_t period_ns) override;

	std::vector<CpuRow> cpu_time() const override;
	void kill_children() override;
	Restored restore_all() override;
	std::string closing_json() const override;

private:
	ScxSample sample() const;
	// 0: in no currency.
	std::uint32_t currency_of(const RunnableTask &task);
	void write_currencies(const CandidateSet &table);
	// Throws EnforcementFailed once the kernel has stopped the scheduler.
	void check_running() const;
	void switch_to_sched_ext();

	ScxSettings settings_;
	std::vector<unsigned> cpus_;
	bool per_user_;
	std::vector<TaskGroup> groups_;
	Guardian guardian_;
	std::unique_ptr<ScxScheduler> scheduler_;
	std::vector<ManagedEntry> managed_;
	std::unordered_map<std::int32_t, std::string> comms_; // every process ever managed
	// Each process's policy before SCHED_EXT: what its tickets are worth.
	std::unordered_map<std::int32_t, SchedPolicy> own_policy_;
	std::unordered_map<std::int32_t, std::uint64_t> written_tickets_;
	std::unordered_map<std::int32_t, std::uint32_t> written_currency_;
	std::unordered_map<std::uint32_t, std::uint32_t> uid_currency_;
	ScxSample before_;
	bool switched_ = false; // the managed set is SCHED_EXT
	bool detached_ = false;
};

// run_enforced() with the kernel mechanism: 1 and one line when this kernel
// cannot run the scheduler (no sched_ext, another scheduler loaded), before
// anything is touched or started.
int run_kernel_enforced(const EnforcedRunConfig &config, std::ostream &out, std::ostream &err);

} // namespace lottery
