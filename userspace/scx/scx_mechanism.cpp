// SPDX-License-Identifier: MIT
#include "scx_mechanism.h"

#include <algorithm>
#include <cstdlib>
#include <ostream>

#include "clock.h"
#include "enforce_setup.h"
#include "enforcer.h"
#include "option_values.h"
#include "tickets.h"

namespace lottery {

namespace {

// The test switch of the ejection test: a process whose tasks the
// scheduler never draws, so that the kernel's watchdog ejects it.
std::int32_t starve_tgid_from_environment()
{
	const char *value = std::getenv("LOTTERY_SCX_TEST_STARVE");
	auto pid = value ? parse_bounded(value, 1U << 22) : std::nullopt;
	return pid ? static_cast<std::int32_t>(*pid) : 0;
}

} // namespace

ScxSettings scx_settings(const EnforcedRunConfig &config)
{
	ScxSettings settings;
	settings.draw_policy = config.draw_policy;
	settings.whole_machine = config.enforce.whole_machine;
	settings.slice_ns = config.enforce.slice_ms * 1000000ULL;
	settings.compensation = config.enforce.compensation;
	settings.starve_tgid = starve_tgid_from_environment();
	// Benchmarks only: the draw replaced by one FIFO queue, its cost's baseline.
	settings.fifo_baseline = std::getenv("LOTTERY_SCX_BENCH_FIFO") != nullptr;
	settings.verbose = config.debug;
	return settings;
}

// No stall bound for the guardian: the scheduler runs in the kernel, not in
// this process, and the kernel's watchdog ejects it if a task starves; a
// stopped agent holds no one.
KernelMechanism::KernelMechanism(const ScxSettings &settings, std::vector<unsigned> cpus,
				 bool per_user, std::vector<TaskGroup> groups)
	: settings_(settings), cpus_(std::move(cpus)), per_user_(per_user), groups_(std::move(groups)),
	  guardian_(no_stall_bound)
{
}

void KernelMechanism::take_on(std::vector<ManagedEntry> entries)
{
	managed_ = std::move(entries);
	for (const auto &entry : managed_) {
		own_policy_[entry.process.pid()] = entry.process.task().policy;
		comms_[entry.process.pid()] = entry.process.comm();
	}
	try {
		scheduler_ = std::make_unique<ScxScheduler>(settings_);
	} catch (const ScxError &e) {
		throw EnforcementFailed(e.what());
	}
	try {
		if (!cpus_.empty())
			for (auto &entry : managed_)
				entry.process.pin(to_cpu_set(cpus_), guardian_);
	} catch (...) {
		restore_all();
		throw;
	}
	before_ = sample();
}

// Once their first tickets are in the maps: a task enters the scheduler's
// tree with the tickets of its enqueue, and one queued with its nice
// weight while another holds a million would wait for a win that never
// comes.
void KernelMechanism::switch_to_sched_ext()
{
	switched_ = true;
	for (auto &entry : managed_)
		entry.process.switch_to_sched_ext(guardian_);
}

MechanismDescription KernelMechanism::describe() const
{
	std::string where = "in the kernel (sched_ext, slice " +
			    std::to_string(settings_.slice_ns / 1000000ULL) + " ms";
	if (!cpus_.empty())
		where += std::string(", on CPU") + (cpus_.size() > 1 ? "s " : " ") + format_cpu_list(cpus_);
	return {where + ")", "guardian pid " + std::to_string(guardian_.pid())};
}

ScxSample KernelMechanism::sample() const
{
	ScxSample s;
	s.time_ns = monotonic_ns();
	s.counters = scheduler_->counters();
	s.processes = by_process(scheduler_->task_stats(), [&](std::int32_t tgid) {
		auto it = comms_.find(tgid);
		return it == comms_.end() ? std::string("?") : it->second;
	});
	std::erase_if(s.processes, [&](const ScxProcess &p) { return !comms_.count(p.tgid); });
	return s;
}

std::vector<DroppedProcess> KernelMechanism::drop_exited()
{
	std::vector<DroppedProcess> dropped;
	std::vector<ScxProcess> totals;
	std::erase_if(managed_, [&](ManagedEntry &entry) {
		if (!entry.process.exited() && entry.process.refresh()) {
			comms_[entry.process.pid()] = entry.process.comm(); // a command's, once it ran
			return false;
		}
		if (totals.empty())
			totals = sample().processes;
		DroppedProcess gone{entry.process.pid(), entry.process.comm(), reap_child(entry)};
		for (const auto &p : totals)
			if (p.tgid == gone.pid) {
				gone.runtime_ns = p.runtime_ns;
				gone.wins = p.wins;
			}
		guardian_.drop(entry.process.pid());
		dropped.push_back(std::move(gone));
		return true;
	});
	return dropped;
}

// Every managed process takes part: the kernel sees which are runnable.
// Each with the policy it had before SCHED_EXT, which its tickets follow
// (SCHED_IDLE's weight, not its nice value's).
Snapshot KernelMechanism::wanting(const Snapshot &) const
{
	Snapshot all;
	all.taken_ns = monotonic_ns();
	for (const auto &entry : managed_) {
		RunnableTask task = entry.process.task();
		if (auto it = own_policy_.find(task.pid); it != own_policy_.end() && task.policy == SchedPolicy::Ext)
			task.policy = it->second;
		all.tasks.push_back(task);
	}
	return all;
}

std::uint32_t KernelMechanism::currency_of(const RunnableTask &task)
{
	std::uint32_t currency = 0;
	if (per_user_) {
		auto it = uid_currency_.find(task.uid);
		if (it == uid_currency_.end())
			it = uid_currency_.emplace(task.uid, uid_currency_.size() + 1).first;
		currency = it->second;
	}
	for (std::size_t g = 0; g < groups_.size() && !currency; ++g) {
		const auto &pids = groups_[g].pids;
		if (std::count(pids.begin(), pids.end(), task.pid) || std::count(pids.begin(), pids.end(), task.tgid))
			currency = g + 1;
	}
	if (currency > ScxScheduler::max_currency())
		throw EnforcementFailed("the kernel scheduler holds at most " +
					std::to_string(ScxScheduler::max_currency()) + " currencies");
	return currency;
}

// A currency is funded with what its members hold when all are runnable;
// the kernel divides that among the runnable ones.
void KernelMechanism::write_currencies(const CandidateSet &table)
{
	std::unordered_map<std::uint32_t, std::uint64_t> funding;
	std::unordered_map<std::int32_t, std::uint32_t> wanted;
	for (const auto &candidate : table.candidates)
		if (std::uint32_t currency = currency_of(candidate.task)) {
			wanted[candidate.task.tgid] = currency;
			funding[currency] += candidate.tickets;
		}
	for (const auto &[currency, tickets] : funding)
		scheduler_->set_funding(currency, tickets);
	for (const auto &[tgid, currency] : written_currency_)
		if (!wanted.count(tgid))
			scheduler_->set_currency(tgid, 0);
	for (const auto &[tgid, currency] : wanted)
		if (auto it = written_currency_.find(tgid); it == written_currency_.end() || it->second != currency)
			scheduler_->set_currency(tgid, currency);
	written_currency_ = std::move(wanted);
}

// The run's tickets into the scheduler's map, where they differ from what
// the kernel gives a process itself (its nice value's weight, read at every
// enqueue, so that a renice takes effect at once).
void KernelMechanism::begin_period(const CandidateSet &table, const RoundResult *)
{
	check_running();
	write_currencies(table);
	std::unordered_map<std::int32_t, std::uint64_t> wanted;
	for (const auto &candidate : table.candidates)
		if (written_currency_.count(candidate.task.tgid) ||
		    candidate.tickets != nice_to_weight(candidate.task.nice))
			wanted[candidate.task.tgid] = candidate.tickets;
	for (const auto &[tgid, tickets] : written_tickets_)
		if (!wanted.count(tgid))
			scheduler_->clear_tickets(tgid);
	for (const auto &[tgid, tickets] : wanted)
		if (auto it = written_tickets_.find(tgid); it == written_tickets_.end() || it->second != tickets)
			scheduler_->set_tickets(tgid, tickets);
	written_tickets_ = std::move(wanted);
	if (!switched_)
		switch_to_sched_ext();
}

void KernelMechanism::check_running() const
{
	if (guardian_.lost())
		throw GuardianLost("the guardian (pid " + std::to_string(guardian_.pid()) +
				   ") died: nothing could restore the managed processes' policies after a crash");
	if (auto exit = scheduler_->exit_info())
		throw EnforcementFailed(format_scx_exit_text(*exit));
}

bool KernelMechanism::period_may_end()
{
	check_running();
	return false;
}

PeriodReport KernelMechanism::end_period(std::uint64_t)
{
	check_running();
	ScxSample now = sample();
	PeriodReport report = period_between(before_, now);
	before_ = std::move(now);
	return report;
}

std::vector<CpuRow> KernelMechanism::cpu_time() const
{
	std::vector<CpuRow> rows;
	const std::vector<ScxProcess> totals = sample().processes;
	for (const auto &entry : managed_) {
		CpuRow row{entry.process.pid(), entry.process.comm()};
		for (const auto &p : totals)
			if (p.tgid == row.pid) {
				row.wins = p.wins;
				row.cpu_ns = p.runtime_ns;
			}
		rows.push_back(std::move(row));
	}
	return rows;
}

void KernelMechanism::kill_children()
{
	lottery::kill_children(managed_);
}

// The scheduler first: the kernel takes every task back; then each thread
// gets its own policy again.
KernelMechanism::Restored KernelMechanism::restore_all()
{
	if (detached_)
		return {};
	detached_ = true;
	if (scheduler_)
		scheduler_->detach();
	std::size_t restored = 0;
	for (auto &entry : managed_)
		restored += entry.process.restore();
	guardian_.finish();
	return {restored, "each on its own policy again"};
}

std::string KernelMechanism::closing_json() const
{
	auto exit = scheduler_ ? scheduler_->exit_info() : std::nullopt;
	return exit ? format_scx_exit_json(*exit) : std::string();
}

int run_kernel_enforced(const EnforcedRunConfig &config, std::ostream &out, std::ostream &err)
{
	ScxAvailability availability = scx_availability();
	if (!availability.available) {
		err << "lottery: " << availability.reason << '\n';
		return 1;
	}
	MechanismChoice kernel;
	kernel.needs_snapshots = false;
	kernel.restore_ms = scx_detach_ms;
	kernel.make = [&] {
		return std::make_unique<KernelMechanism>(scx_settings(config), config.enforce.cpus,
							 config.enforce.per_user, config.enforce.groups);
	};
	return run_enforced(config, kernel, out, err);
}

} // namespace lottery
