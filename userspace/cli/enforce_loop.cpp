// SPDX-License-Identifier: MIT
#include "enforce_loop.h"

#include <algorithm>
#include <csignal>
#include <fcntl.h>
#include <memory>
#include <ostream>
#include <random>

#include "enforce_report.h"
#include "enforce_setup.h"
#include "launcher.h"
#include "option_values.h"
#include "proc_reader.h"
#include "report.h"
#include "round_loop.h"
#include "stop_signals.h"
#include "text_format.h"
#include "tickets_file.h"

namespace lottery {

namespace {

std::string managed_count(std::size_t count)
{
	return std::to_string(count) + (count == 1 ? " managed process" : " managed processes");
}

std::optional<TicketOverrides> load_tickets_file(const std::string &path, std::string *error)
{
	auto text = read_small_file(AT_FDCWD, path, max_tickets_file_bytes);
	if (!text) {
		*error = "cannot read it (missing, unreadable or over " +
			 std::to_string(max_tickets_file_bytes) + " bytes)";
		return std::nullopt;
	}
	return parse_tickets_file(*text, error);
}

// The pids --pid and --group name; with groups, each must be in one.
std::vector<std::int32_t> named_pids(const CliOptions &options)
{
	std::vector<std::int32_t> pids = options.filter.pids;
	for (const auto &group : options.enforce.groups)
		pids.insert(pids.end(), group.pids.begin(), group.pids.end());
	for (std::int32_t pid : options.filter.pids) {
		bool grouped = options.enforce.groups.empty();
		for (const auto &group : options.enforce.groups)
			grouped |= std::count(group.pids.begin(), group.pids.end(), pid) > 0;
		if (!grouped)
			throw UsageError("--pid " + std::to_string(pid) +
					 " is in no --group: with groups, name every process in one");
	}
	return pids;
}

class EnforcedRun {
public:
	EnforcedRun(const CliOptions &options, std::ostream &out, std::ostream &err)
		: options_(options), enforce_(options.enforce), out_(out), err_(err),
		  seed_(options.seed ? *options.seed : std::random_device{}()),
		  scheduler_(options.policy, seed_), base_tickets_(options.tickets),
		  tickets_(options.tickets)
	{
	}

	int run(SnapshotSource &source, std::vector<ManagedEntry> entries,
		const std::vector<unsigned> &cpus);

private:
	void note(const std::string &line) { (options_.json ? err_ : out_) << line << '\n'; }
	bool reload_tickets();
	// Waits until the deadline, a stop signal (false) or until done().
	template <typename Done> bool wait(std::uint64_t deadline, Done done);
	void drop_exited();
	bool play_round(SnapshotSource &source);
	int finish(int status);

	const CliOptions &options_;
	const EnforceOptions &enforce_;
	std::ostream &out_;
	std::ostream &err_;
	std::uint64_t seed_;
	Scheduler scheduler_;
	WinTally tally_;
	TicketOverrides base_tickets_; // --tickets, and run's --tickets N per command
	TicketOverrides tickets_;      // base_tickets_ with the tickets file's over them
	StopSignals signals_;
	Guardian *guardian_ = nullptr;
	Enforcer *enforcer_ = nullptr;
	std::size_t winners_ = 1;
	std::vector<CpuRow> gone_;
	pid_t first_command_ = 0;
	std::optional<int> first_command_status_;
	bool stopped_ = false;
};

bool EnforcedRun::reload_tickets()
{
	std::string error;
	auto loaded = load_tickets_file(*enforce_.tickets_file, &error);
	if (!loaded) {
		err_ << "lottery: " << *enforce_.tickets_file << ": " << error << '\n';
		return false;
	}
	tickets_ = base_tickets_;
	for (const auto &[pid, tickets] : loaded->by_pid)
		tickets_.by_pid[pid] = tickets;
	return true;
}

template <typename Done> bool EnforcedRun::wait(std::uint64_t deadline, Done done)
{
	// Fine enough to see a winner block well before its quantum ends, and
	// a woken loser before it has run long: a few /proc reads a tick.
	const std::uint64_t tick = std::clamp<std::uint64_t>(options_.interval_ms * 50000ULL,
							     1000000ULL, 5000000ULL);
	for (std::uint64_t now = monotonic_ns(); now < deadline; now = monotonic_ns()) {
		int sig = signals_.wait_until(std::min(deadline, now + tick));
		if (sig == SIGHUP && enforce_.tickets_file) {
			if (reload_tickets())
				note("lottery: reread " + *enforce_.tickets_file);
		} else if (sig != 0) {
			stopped_ = true;
			return false;
		}
		if (guardian_->lost())
			throw GuardianLost("the guardian (pid " + std::to_string(guardian_->pid()) +
					   ") died: nothing could restore the managed processes after a crash");
		if (done())
			break;
	}
	return true;
}

void EnforcedRun::drop_exited()
{
	for (const auto &gone : enforcer_->drop_exited(scheduler_)) {
		std::string line = "lottery: pid " + std::to_string(gone.pid) + " (" + gone.comm + ") exited";
		if (gone.exit_code)
			line += " with status " + std::to_string(*gone.exit_code);
		note(line + "; " + managed_count(enforcer_->size()) + " left");
		if (gone.pid == first_command_)
			first_command_status_ = gone.exit_code;
		gone_.push_back(CpuRow{gone.pid, gone.comm, 0, 0, 0, gone.runtime_ns});
	}
}

// One draw and its quantum; false when the run should end.
bool EnforcedRun::play_round(SnapshotSource &source)
{
	drop_exited();
	if (enforcer_->empty()) {
		note("lottery: every managed process has exited");
		return false;
	}
	Snapshot snapshot = source.take_snapshot();
	CandidateSet set = enforcer_->candidates(snapshot, tickets_);
	if (enforce_.per_user)
		set = fund_per_user(set);
	else if (!enforce_.groups.empty())
		set = fund_groups(set, enforce_.groups);
	if (set.candidates.empty()) {
		// Every managed process is blocked on its own: draw again when
		// one wakes.
		return wait(monotonic_ns() + options_.interval_ms * 1000000ULL,
			    [&] { return enforcer_->any_runnable(); });
	}

	RoundResult result = scheduler_.run_round(set, winners_);
	enforcer_->apply(result, set);
	tally_.record(result, set);
	if (options_.json) {
		out_ << format_round_json(result, options_.debug ? &set : nullptr) << '\n';
	} else {
		if (options_.debug)
			out_ << format_candidate_table(set);
		out_ << format_round_text(result) << '\n';
	}
	out_.flush();

	// The quantum ends early when every winner blocked: its CPUs would idle.
	const std::uint64_t quantum_ns = options_.interval_ms * 1000000ULL;
	bool go_on = wait(monotonic_ns() + quantum_ns, [&] {
		enforcer_->hold_woken();
		return enforcer_->winners_blocked();
	});
	enforcer_->end_quantum(enforce_.compensation ? &scheduler_ : nullptr, quantum_ns);
	return go_on;
}

int EnforcedRun::finish(int status)
{
	std::vector<CpuRow> rows = gone_;
	for (const auto &entry : enforcer_->managed())
		rows.push_back(CpuRow{entry.process.pid(), entry.process.comm(), 0, 0, 0, entry.runtime_ns});
	const std::size_t restored = enforcer_->restore_all();
	if (restored > 0)
		note("lottery: restored " + managed_count(restored) +
		     ": running, with their original affinity");
	add_wins(rows, tally_);
	if (options_.json)
		out_ << "{\"summary\":" << format_cpu_summary_json(rows, scheduler_.rounds())
		     << ",\"policy\":\"" << policy_name(options_.policy) << "\",\"seed\":" << seed_
		     << "}\n";
	else
		out_ << format_cpu_summary_text(rows, scheduler_.rounds());
	out_.flush();
	if (status == 0 && !stopped_ && first_command_ && enforcer_->empty())
		return first_command_status_.value_or(0);
	return status;
}

int EnforcedRun::run(SnapshotSource &source, std::vector<ManagedEntry> entries,
		     const std::vector<unsigned> &cpus)
{
	if (enforce_.tickets_file && !reload_tickets())
		return 2;
	// A stopped agent would leave the held processes stopped for as long
	// as it is: Ctrl-Z (and terminal output from the background) must not
	// stop it.
	for (int sig : {SIGTSTP, SIGTTIN, SIGTTOU})
		signal(sig, SIG_IGN);
	winners_ = cpus.size();
	for (const auto &command : enforce_.commands)
		if (!find_program(command.front()))
			throw LaunchError("cannot run '" + text::printable(command.front()) +
					  "': command not found");
	Guardian guardian;
	guardian_ = &guardian;

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

	Enforcer enforcer(std::move(entries), to_cpu_set(cpus), guardian);
	enforcer_ = &enforcer;
	try {
		for (auto &command : pending)
			command.start();
	} catch (const LaunchError &) {
		enforcer.kill_children(); // a run that fails to start leaves nothing behind
		throw;
	}

	if (!options_.json)
		out_ << "lottery: enforcing on CPU" << (cpus.size() > 1 ? "s " : " ")
		     << format_cpu_list(cpus) << " for " << managed_count(enforcer.size())
		     << ": backend " << source.name() << ", every " << options_.interval_ms
		     << " ms, policy " << policy_name(options_.policy) << ", seed " << seed_
		     << ", guardian pid " << guardian.pid() << "\n";

	int status = 0;
	try {
		while (!options_.rounds || scheduler_.rounds() < *options_.rounds)
			if (!play_round(source))
				break;
	} catch (const std::exception &e) {
		err_ << "lottery: " << e.what() << '\n';
		status = 1;
	}
	return finish(status);
}

} // namespace

int run_enforced(const CliOptions &options, std::ostream &out, std::ostream &err)
{
	std::string error;
	auto cpus = choose_cpus(options.enforce.cpus, &error);
	if (!cpus)
		throw UsageError("--cpus " + format_cpu_list(options.enforce.cpus) + ": " + error);
	std::vector<std::int32_t> pids = named_pids(options);

	std::unique_ptr<SnapshotSource> source = open_source_or_explain(options, err);
	if (!source)
		return 1;
	std::vector<ManagedEntry> entries;
	try {
		entries = take_on(pids, options.enforce.spawned_state);
	} catch (const ManageError &e) {
		err << "lottery: " << e.what() << '\n';
		return 2;
	}

	EnforcedRun run(options, out, err);
	try {
		return run.run(*source, std::move(entries), *cpus);
	} catch (const LaunchError &e) {
		err << "lottery: " << e.what() << '\n';
		return 127;
	} catch (const std::exception &e) {
		err << "lottery: " << e.what() << '\n';
		return 1;
	}
}

} // namespace lottery
