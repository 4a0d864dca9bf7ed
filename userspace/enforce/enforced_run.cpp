// SPDX-License-Identifier: MIT
#include "enforced_run.h"

#include <algorithm>
#include <csignal>
#include <fcntl.h>
#include <functional>
#include <memory>
#include <ostream>
#include <random>

#include "enforce_report.h"
#include "enforce_setup.h"
#include "kernel_period.h"
#include "launcher.h"
#include "mechanism.h"
#include "proc_reader.h"
#include "report.h"
#include "signal_mechanism.h"
#include "stop_signals.h"
#include "text_format.h"
#include "tickets_file.h"

namespace lottery {

namespace {

std::string managed_count(std::size_t count)
{
	return std::to_string(count) + (count == 1 ? " managed process" : " managed processes");
}

constexpr std::size_t top_processes = 5; // in each statistics line of the kernel's draws

class EnforcedRun {
public:
	EnforcedRun(const EnforcedRunConfig &config, std::uint64_t restore_ms, std::ostream &out,
		    std::ostream &err)
		: config_(config), enforce_(config.enforce), out_(out), err_(err),
		  seed_(config.seed ? *config.seed : std::random_device{}()),
		  scheduler_(config.draw_policy, seed_), base_tickets_(config.tickets),
		  tickets_(config.tickets),
		  signals_(stop_grace_ms(config.period_ms) + restore_ms,
			   config.enforce.tickets_file.has_value())
	{
	}

	// source: null when the mechanism needs no snapshots (the kernel draws).
	int run(SnapshotSource *source, std::vector<ManagedEntry> entries,
		const MechanismFactory &make_mechanism);
	// Reads the tickets file, if there is one; false (and the reason on
	// err) when it cannot be used.
	bool reload_tickets();

private:
	void note(const std::string &line) { (config_.json ? err_ : out_) << line << '\n'; }
	// Waits until the deadline, a stop signal (false) or until the
	// mechanism says the period may end.
	bool wait(std::uint64_t deadline);
	void drop_exited();
	CandidateSet ticket_table(SnapshotSource *source);
	bool play_period(SnapshotSource *source);
	bool play_kernel_period(CandidateSet set);
	void print_start(const SnapshotSource *source);
	void record_usage(const PeriodReport &report);
	// Periods with a draw: --rounds counts these.
	std::uint64_t periods_played() const;
	void finish_kernel_summary(std::vector<CpuRow> &rows);
	int finish(int status);

	const EnforcedRunConfig &config_;
	const EnforceOptions &enforce_;
	std::unique_ptr<EnforcementMechanism> mechanism_;
	std::ostream &out_;
	std::ostream &err_;
	std::uint64_t seed_;
	Scheduler scheduler_;
	WinTally tally_;
	TicketOverrides base_tickets_; // --tickets, and run's --tickets N per command
	TicketOverrides tickets_;      // base_tickets_ with the tickets file's over them
	StopSignals signals_;
	std::vector<CpuRow> gone_;
	pid_t first_command_ = 0;
	std::optional<int> first_command_status_;
	bool stopped_ = false;
	std::uint64_t kernel_periods_ = 0;
	KernelTally kernel_tally_;
};

bool EnforcedRun::reload_tickets()
{
	if (!enforce_.tickets_file)
		return true;
	std::string error;
	auto loaded = load_tickets_file(*enforce_.tickets_file, &error);
	if (!loaded) {
		err_ << "lottery: " << error << '\n';
		return false;
	}
	tickets_ = base_tickets_;
	for (const auto &[pid, tickets] : loaded->by_pid)
		tickets_.by_pid[pid] = tickets;
	return true;
}

bool EnforcedRun::wait(std::uint64_t deadline)
{
	// Fine enough to see a winner block well before its quantum ends, and
	// a woken loser before it has run long: a few /proc reads a tick. The
	// kernel's draws need no watching: an ejection is seen within 100 ms.
	const std::uint64_t tick = mechanism_->draws_in_userspace()
					   ? std::clamp<std::uint64_t>(config_.period_ms * 50000ULL,
								       1000000ULL, 5000000ULL)
					   : 100000000ULL;
	for (std::uint64_t now = monotonic_ns(); now < deadline; now = monotonic_ns()) {
		int sig = signals_.wait_until(std::min(deadline, now + tick));
		if (sig == SIGHUP && enforce_.tickets_file) {
			if (reload_tickets()) {
				note("lottery: reread " + *enforce_.tickets_file);
				// The kernel draws all the time: it gets the new
				// tickets now, in a new period.
				if (!mechanism_->draws_in_userspace())
					break;
			}
		} else if (sig != 0) {
			stopped_ = true;
			return false;
		}
		if (mechanism_->period_may_end())
			break;
	}
	return true;
}

void EnforcedRun::drop_exited()
{
	for (const auto &gone : mechanism_->drop_exited()) {
		scheduler_.forget(gone.pid);
		std::string line = "lottery: pid " + std::to_string(gone.pid) + " (" + gone.comm + ") exited";
		if (gone.exit_code)
			line += " with status " + std::to_string(*gone.exit_code);
		note(line + "; " + managed_count(mechanism_->size()) + " left");
		if (gone.pid == first_command_)
			first_command_status_ = gone.exit_code;
		gone_.push_back(CpuRow{gone.pid, gone.comm, 0, gone.wins, 0, gone.runtime_ns});
	}
}

// The managed processes that take part in this period, each with its
// tickets after currencies (compensation is the scheduler's to add).
CandidateSet EnforcedRun::ticket_table(SnapshotSource *source)
{
	CandidateFilter filter;
	filter.include_realtime = true; // named by the user: drawn like the others
	CandidateSet set = select_candidates(mechanism_->wanting(source ? source->take_snapshot() : Snapshot{}),
					     filter, tickets_);
	if (enforce_.per_user)
		set = fund_per_user(set);
	else if (!enforce_.groups.empty())
		set = fund_groups(set, enforce_.groups);
	return set;
}

// One period; false when the run should end.
bool EnforcedRun::play_period(SnapshotSource *source)
{
	drop_exited();
	if (mechanism_->size() == 0) {
		note("lottery: every managed process has exited");
		return false;
	}
	CandidateSet set = ticket_table(source);
	const std::uint64_t period_ns = config_.period_ms * 1000000ULL;
	if (set.candidates.empty()) {
		// Every managed process is blocked on its own: a period without
		// a draw, which ends when one wakes.
		mechanism_->begin_period(set, nullptr);
		bool go_on = wait(monotonic_ns() + period_ns);
		mechanism_->end_period(period_ns);
		return go_on;
	}

	if (!mechanism_->draws_in_userspace())
		return play_kernel_period(set);

	RoundResult result = scheduler_.run_round(set, mechanism_->winners_per_draw());
	mechanism_->begin_period(set, &result);
	tally_.record(result, set);
	if (config_.json) {
		out_ << format_round_json(result, config_.debug ? &set : nullptr) << '\n';
	} else {
		if (config_.debug)
			out_ << format_candidate_table(set);
		out_ << format_round_text(result) << '\n';
	}
	out_.flush();

	// The period ends early when every winner blocked: its CPUs would idle.
	bool go_on = wait(monotonic_ns() + period_ns);
	record_usage(mechanism_->end_period(period_ns));
	return go_on;
}

// The kernel draws at every dispatch: it gets the tickets with
// compensation, and reports what its draws gave each task.
bool EnforcedRun::play_kernel_period(CandidateSet set)
{
	const std::uint64_t period_ns = config_.period_ms * 1000000ULL;
	set.candidates = scheduler_.with_compensation(set);
	set.total_tickets = sum_tickets(set.candidates);
	mechanism_->begin_period(set, nullptr);
	bool go_on = wait(monotonic_ns() + period_ns);
	PeriodReport report = mechanism_->end_period(period_ns);
	record_usage(report);
	++kernel_periods_;
	kernel_tally_.record(report.counters);
	if (!report.draws)
		return go_on;
	kernel_tally_.record_draws(report.draws->draws);
	if (!go_on)
		return false; // stopped: the summary follows
	out_ << format_kernel_period_line(*report.draws, report.counters, top_processes, config_.json)
	     << std::endl;
	return true;
}

void EnforcedRun::record_usage(const PeriodReport &report)
{
	if (enforce_.compensation)
		for (const auto &usage : report.usage)
			scheduler_.record_usage(usage.pid, usage.used_ns, usage.period_ns);
}

std::uint64_t EnforcedRun::periods_played() const
{
	return mechanism_->draws_in_userspace() ? scheduler_.rounds() : kernel_periods_;
}

// The kernel's wins and CPU time; rounds are its draws; no seed.
void EnforcedRun::finish_kernel_summary(std::vector<CpuRow> &rows)
{
	kernel_tally_.fill(rows);
	if (config_.json) {
		out_ << "{\"summary\":" << format_cpu_summary_json(rows, kernel_tally_.draws())
		     << ",\"draw_policy\":\"" << draw_policy_name(config_.draw_policy) << "\",\"mechanism\":\"kernel\"}\n";
		if (std::string closing = mechanism_->closing_json(); !closing.empty())
			out_ << closing << '\n';
	} else {
		out_ << format_cpu_summary_text(rows, kernel_tally_.draws());
	}
}

int EnforcedRun::finish(int status)
{
	std::vector<CpuRow> rows = gone_;
	for (auto &row : mechanism_->cpu_time())
		rows.push_back(std::move(row));
	const auto restored = mechanism_->restore_all();
	if (restored.count > 0)
		note("lottery: restored " + managed_count(restored.count) + ": " + restored.how);
	if (!mechanism_->draws_in_userspace()) {
		finish_kernel_summary(rows);
	} else {
		add_wins(rows, tally_);
		if (config_.json)
			out_ << "{\"summary\":" << format_cpu_summary_json(rows, scheduler_.rounds(), &tally_)
			     << ",\"draw_policy\":\"" << draw_policy_name(config_.draw_policy) << "\",\"seed\":" << seed_
			     << "}\n";
		else
			out_ << format_cpu_summary_text(rows, scheduler_.rounds(), &tally_);
	}
	out_.flush();
	if (status == 0 && !stopped_ && first_command_ && mechanism_->size() == 0)
		return first_command_status_.value_or(0);
	return status;
}

void EnforcedRun::print_start(const SnapshotSource *source)
{
	const MechanismDescription described = mechanism_->describe();
	out_ << "lottery: enforcing " << described.where << " for " << managed_count(mechanism_->size())
	     << ": ";
	if (source)
		out_ << "backend " << source->name() << ", ";
	out_ << "every " << config_.period_ms << " ms, policy " << draw_policy_name(config_.draw_policy);
	if (mechanism_->draws_in_userspace())
		out_ << ", seed " << seed_;
	// Out before anything is held: whoever reads a log of a run that
	// hangs or is killed learns the guardian's pid from this line.
	out_ << ", " << described.safeguard << std::endl;
}

int EnforcedRun::run(SnapshotSource *source, std::vector<ManagedEntry> entries,
		     const MechanismFactory &make_mechanism)
{
	// A stopped agent would leave the held processes stopped for as long
	// as it is: Ctrl-Z (and terminal output from the background) must not
	// stop it.
	for (int sig : {SIGTSTP, SIGTTIN, SIGTTOU})
		signal(sig, SIG_IGN);
	for (const auto &command : enforce_.commands)
		if (!find_program(command.front()))
			throw LaunchError("cannot run '" + text::printable(command.front()) +
					  "': command not found");
	// Made before any command is forked: the signal mechanism's guardian
	// must hold none of their pipes.
	mechanism_ = make_mechanism();

	// Commands wait before their exec until they are managed.
	std::vector<PendingCommand> pending;
	for (std::size_t i = 0; i < enforce_.commands.size(); ++i) {
		pending.emplace_back(enforce_.commands[i]);
		entries.push_back(ManagedEntry{ManagedProcess::open(pending.back().pid()), true});
		if (i < enforce_.command_tickets.size()) {
			const pid_t pid = pending.back().pid();
			base_tickets_.by_pid[pid] = tickets_.by_pid[pid] = enforce_.command_tickets[i];
		}
	}
	if (!pending.empty())
		first_command_ = pending.front().pid();

	mechanism_->take_on(std::move(entries));
	try {
		for (auto &command : pending)
			command.start();
	} catch (const LaunchError &) {
		mechanism_->kill_children(); // a run that fails to start leaves nothing behind
		throw;
	}

	if (!config_.json)
		print_start(source);

	int status = 0;
	try {
		while (!config_.rounds || periods_played() < *config_.rounds)
			if (!play_period(source))
				break;
	} catch (const std::exception &e) {
		err_ << "lottery: " << e.what() << '\n';
		status = 1;
	}
	return finish(status);
}

} // namespace

int run_enforced(const EnforcedRunConfig &config, const MechanismChoice &mechanism,
		 std::ostream &out, std::ostream &err)
{
	// What the user named first (exit 2), then the kernel side (exit 1):
	// processes are locked by take_on, but nothing is changed before the run.
	EnforcedRun run(config, mechanism.restore_ms, out, err);
	if (!run.reload_tickets())
		return 2;
	std::vector<ManagedEntry> entries;
	try {
		entries = take_on(config.pids, config.enforce.spawned_state);
	} catch (const ManageError &e) {
		err << "lottery: " << e.what() << '\n';
		return 2;
	}
	std::unique_ptr<SnapshotSource> source;
	if (mechanism.needs_snapshots) {
		source = open_source_or_explain(config.backend, config.backend_options, err);
		if (!source)
			return 1;
	}

	try {
		return run.run(source.get(), std::move(entries), mechanism.make);
	} catch (const LaunchError &e) {
		err << "lottery: " << e.what() << '\n';
		return 127;
	} catch (const std::exception &e) {
		err << "lottery: " << e.what() << '\n';
		return 1;
	}
}

int run_enforced(const EnforcedRunConfig &config, std::ostream &out, std::ostream &err)
{
	MechanismChoice signals;
	signals.make = [&] {
		return std::make_unique<SignalMechanism>(config.cpus, config.period_ms * 1000000ULL);
	};
	return run_enforced(config, signals, out, err);
}

} // namespace lottery
