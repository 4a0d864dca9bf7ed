// SPDX-License-Identifier: MIT
#include "kernel_loop.h"

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <memory>
#include <ostream>
#include <sys/wait.h>
#include <unistd.h>
#include <unordered_map>

#include "enforce_report.h"
#include "enforce_setup.h"
#include "launcher.h"
#include "option_values.h"
#include "proc_reader.h"
#include "scx_report.h"
#include "scx_scheduler.h"
#include "stop_signals.h"
#include "text_format.h"
#include "tickets_file.h"

namespace lottery {

namespace {

constexpr std::size_t top_processes = 5;     // in each statistics line
constexpr std::size_t summary_processes = 20; // whole machine: the busiest

// The test switch of the ejection test: a process whose tasks the
// scheduler never draws, so that the kernel's watchdog ejects it.
std::int32_t starve_tgid_from_environment()
{
	const char *value = std::getenv("LOTTERY_SCX_TEST_STARVE");
	auto pid = value ? parse_bounded(value, 1U << 22) : std::nullopt;
	return pid ? static_cast<std::int32_t>(*pid) : 0;
}

class KernelRun {
public:
	KernelRun(const CliOptions &options, std::ostream &out, std::ostream &err)
		: options_(options), enforce_(options.enforce), out_(out), err_(err),
		  signals_(stop_grace_ms(options.interval_ms), options.enforce.tickets_file.has_value())
	{
	}

	int run();

private:
	void note(const std::string &line) { (options_.json ? err_ : out_) << line << '\n'; }
	std::string comm_of(std::int32_t tgid);
	ScxSample sample();
	bool reload_tickets_file();
	void write_tickets();
	int take_on_managed();
	void drop_exited();
	int loop();
	int finish(int status);

	const CliOptions &options_;
	const EnforceOptions &enforce_;
	std::ostream &out_;
	std::ostream &err_;
	std::unique_ptr<ScxScheduler> scheduler_;
	std::unique_ptr<Guardian> guardian_;
	std::vector<ManagedEntry> managed_;
	std::vector<std::int32_t> managed_pids_; // every process ever managed, for the summary
	std::vector<PendingCommand> pending_;
	pid_t first_command_ = 0;
	std::optional<int> first_command_status_;
	TicketOverrides tickets_;		  // --tickets with the tickets file's over them
	std::unordered_map<std::int32_t, std::uint64_t> written_tickets_; // in the scheduler's map
	std::unordered_map<std::int32_t, std::string> comms_;
	StopSignals signals_;
	bool stopped_ = false;
};

std::string KernelRun::comm_of(std::int32_t tgid)
{
	auto it = comms_.find(tgid);
	if (it != comms_.end())
		return it->second;
	auto text = read_small_file(AT_FDCWD, "/proc/" + std::to_string(tgid) + "/comm", 64);
	std::string comm = text ? *text : "?";
	if (!comm.empty() && comm.back() == '\n')
		comm.pop_back();
	return comms_[tgid] = comm;
}

ScxSample KernelRun::sample()
{
	ScxSample s;
	s.time_ns = monotonic_ns();
	s.counters = scheduler_->counters();
	s.processes = by_process(scheduler_->task_stats(), [&](std::int32_t tgid) { return comm_of(tgid); });
	if (!enforce_.whole_machine)
		std::erase_if(s.processes, [&](const ScxProcess &p) {
			return std::find(managed_pids_.begin(), managed_pids_.end(), p.tgid) ==
			       managed_pids_.end();
		});
	return s;
}

bool KernelRun::reload_tickets_file()
{
	std::string error;
	auto loaded = load_tickets_file(*enforce_.tickets_file, &error);
	if (!loaded) {
		err_ << "lottery: " << error << '\n';
		return false;
	}
	tickets_ = options_.tickets;
	for (const auto &[pid, tickets] : loaded->by_pid)
		tickets_.by_pid[pid] = tickets;
	return true;
}

// The engine's tickets into the scheduler's map. With currencies (--per-user,
// --group) the engine funds the managed processes that want a CPU now, as
// currencies fund active tickets only (Waldspurger and Weihl 1994, 5.3); one
// that does not keeps what it had, since it draws nothing meanwhile.
// Otherwise the overrides go in as they are (a tid or a tgid), and every
// other task holds its nice weight.
void KernelRun::write_tickets()
{
	std::unordered_map<std::int32_t, std::uint64_t> wanted(tickets_.by_pid.begin(),
								 tickets_.by_pid.end());
	if (enforce_.per_user || !enforce_.groups.empty()) {
		Snapshot snapshot;
		for (auto &entry : managed_) {
			const std::int32_t pid = entry.process.pid();
			if (entry.process.refresh() && entry.process.activity().runnable)
				snapshot.tasks.push_back(entry.process.task());
			else if (auto it = written_tickets_.find(pid); it != written_tickets_.end())
				wanted[pid] = it->second;
		}
		CandidateFilter filter;
		filter.include_realtime = true;
		CandidateSet set = select_candidates(snapshot, filter, tickets_);
		set = enforce_.per_user ? fund_per_user(set) : fund_groups(set, enforce_.groups);
		for (const auto &candidate : set.candidates)
			wanted[candidate.task.tgid] = candidate.tickets;
	}
	for (const auto &[id, tickets] : written_tickets_)
		if (!wanted.count(id))
			scheduler_->clear_tickets(id);
	for (const auto &[id, tickets] : wanted) {
		auto it = written_tickets_.find(id);
		if (it == written_tickets_.end() || it->second != tickets)
			scheduler_->set_tickets(id, tickets);
	}
	written_tickets_ = std::move(wanted);
}

// Everything that can refuse the run is checked before the scheduler loads;
// the processes are switched to SCHED_EXT only once it runs.
int KernelRun::take_on_managed()
{
	std::vector<std::int32_t> pids = options_.filter.pids;
	for (const auto &group : enforce_.groups)
		pids.insert(pids.end(), group.pids.begin(), group.pids.end());
	for (const auto &command : enforce_.commands)
		if (!find_program(command.front()))
			throw LaunchError("cannot run '" + text::printable(command.front()) +
					  "': command not found");
	managed_ = take_on(pids, enforce_.spawned_state);
	for (std::size_t i = 0; i < enforce_.commands.size(); ++i) {
		pending_.emplace_back(enforce_.commands[i]);
		const pid_t pid = pending_.back().pid();
		managed_.push_back(ManagedEntry{ManagedProcess::open(pid), true});
		if (i < enforce_.command_tickets.size())
			tickets_.by_pid[pid] = enforce_.command_tickets[i];
	}
	if (!pending_.empty())
		first_command_ = pending_.front().pid();
	return 0;
}

void KernelRun::drop_exited()
{
	std::erase_if(managed_, [&](ManagedEntry &entry) {
		if (!entry.process.exited())
			return false;
		std::optional<int> status;
		siginfo_t info = {};
		if (entry.child && waitid(P_PIDFD, entry.process.pidfd(), &info, WEXITED | WNOHANG) == 0 &&
		    info.si_pid != 0)
			status = info.si_code == CLD_EXITED ? info.si_status : 128 + info.si_status;
		if (entry.process.pid() == first_command_)
			first_command_status_ = status;
		std::string line = "lottery: pid " + std::to_string(entry.process.pid()) + " (" +
				   text::printable(entry.process.comm()) + ") exited";
		if (status)
			line += " with status " + std::to_string(*status);
		guardian_->drop(entry.process.pid());
		note(line);
		return true;
	});
}

int KernelRun::loop()
{
	const std::uint64_t interval_ns = options_.interval_ms * 1000000ULL;
	ScxSample before = sample();
	std::uint64_t deadline = before.time_ns;
	for (std::uint64_t n = 0; !options_.rounds || n < *options_.rounds; ++n) {
		deadline += interval_ns;
		while (monotonic_ns() < deadline) {
			// Short waits: an ejection or an exit is seen within 100 ms.
			int sig = signals_.wait_until(std::min<std::uint64_t>(deadline, monotonic_ns() + 100000000ULL));
			if (sig == SIGHUP && enforce_.tickets_file) {
				if (reload_tickets_file()) {
					write_tickets();
					note("lottery: reread " + *enforce_.tickets_file);
				}
			} else if (sig != 0) {
				stopped_ = true;
				return 0;
			}
			if (scheduler_->exit_info())
				return 1;
			if (guardian_ && guardian_->lost())
				throw GuardianLost("the guardian (pid " + std::to_string(guardian_->pid()) +
						   ") died: nothing could restore the managed processes' policies after a crash");
		}
		if (guardian_) {
			drop_exited();
			if (managed_.empty()) {
				note("lottery: every managed process has exited");
				return 0;
			}
			if (enforce_.per_user || !enforce_.groups.empty())
				write_tickets(); // membership and nice values move
		}
		ScxSample now = sample();
		if (options_.json)
			out_ << format_scx_interval_json(before, now, top_processes) << '\n';
		else
			out_ << "lottery: " << format_scx_interval_text(before, now, top_processes) << '\n';
		out_.flush();
		before = std::move(now);
	}
	return 0;
}

int KernelRun::finish(int status)
{
	ScxSample last = sample();
	scheduler_->detach();
	std::size_t restored = 0;
	for (auto &entry : managed_)
		restored += entry.process.restore();
	if (guardian_)
		guardian_->finish();
	if (restored > 0)
		note("lottery: restored " + std::to_string(restored) +
		     (restored == 1 ? " managed process" : " managed processes") + " to its own policy");

	std::vector<CpuRow> rows = scx_summary_rows(last.processes, {});
	if (enforce_.whole_machine && rows.size() > summary_processes) {
		std::partial_sort(rows.begin(), rows.begin() + summary_processes, rows.end(),
				  [](const CpuRow &a, const CpuRow &b) { return a.cpu_ns > b.cpu_ns; });
		rows.resize(summary_processes);
	}
	const std::uint64_t draws = last.counters.draws();
	auto exit = scheduler_->exit_info();
	const bool ejected = exit && exit->ejected();
	if (options_.json) {
		out_ << "{\"summary\":" << format_cpu_summary_json(rows, draws)
		     << ",\"draw_policy\":\"" << draw_policy_name(options_.draw_policy)
		     << "\",\"mechanism\":\"kernel\"}\n";
		if (exit)
			out_ << format_scx_exit_json(*exit) << '\n';
	} else {
		out_ << format_cpu_summary_text(rows, draws);
	}
	if (ejected)
		err_ << format_scx_exit_text(*exit) << '\n';
	out_.flush();
	if (ejected)
		return 1;
	if (status == 0 && !stopped_ && first_command_ && managed_.empty())
		return first_command_status_.value_or(0);
	return status;
}

int KernelRun::run()
{
	if (options_.seed)
		throw UsageError("--seed does not apply to the kernel scheduler, whose draws use the "
				 "kernel's random numbers (--mechanism signals takes a seed)");
	if (!enforce_.cpus.empty()) {
		std::string error;
		if (!choose_cpus(enforce_.cpus, &error))
			throw UsageError("--cpus " + format_cpu_list(enforce_.cpus) + ": " + error);
	}
	ScxAvailability availability = scx_availability();
	if (!availability.available) {
		err_ << "lottery: " << availability.reason << '\n';
		return 1;
	}
	tickets_ = options_.tickets;
	if (enforce_.tickets_file && !reload_tickets_file())
		return 2;
	try {
		if (!enforce_.whole_machine)
			take_on_managed();
	} catch (const ManageError &e) {
		err_ << "lottery: " << e.what() << '\n';
		return 2;
	}
	for (int sig : {SIGTSTP, SIGTTIN, SIGTTOU})
		signal(sig, SIG_IGN);

	ScxSettings settings;
	settings.draw_policy = options_.draw_policy;
	settings.whole_machine = enforce_.whole_machine;
	settings.slice_ns = enforce_.slice_ms * 1000000ULL;
	settings.compensation = enforce_.compensation;
	settings.starve_tgid = starve_tgid_from_environment();
	// Benchmarks only: the draw replaced by one FIFO queue, its cost's baseline.
	settings.fifo_baseline = std::getenv("LOTTERY_SCX_BENCH_FIFO") != nullptr;
	settings.verbose = options_.debug;
	try {
		// The guardian first: it must not inherit the scheduler's link.
		if (!enforce_.whole_machine)
			// No stall bound: the scheduler runs in the kernel, not in
			// this process, and the kernel's watchdog ejects it if a
			// task starves; a stopped agent holds no one.
			guardian_ = std::make_unique<Guardian>(no_stall_bound);
		scheduler_ = std::make_unique<ScxScheduler>(settings);
		write_tickets();
		for (auto &entry : managed_) {
			managed_pids_.push_back(entry.process.pid());
			if (!enforce_.cpus.empty())
				entry.process.pin(to_cpu_set(enforce_.cpus), *guardian_);
			entry.process.switch_to_sched_ext(*guardian_);
		}
	} catch (const std::exception &e) {
		err_ << "lottery: " << e.what() << '\n';
		if (scheduler_)
			return finish(1);
		return 1;
	}

	std::string scope = enforce_.whole_machine
				    ? std::string("the whole machine")
				    : std::to_string(managed_.size()) +
					      (managed_.size() == 1 ? " managed process" : " managed processes");
	note("lottery: the kernel schedules " + scope + " by " +
	     draw_policy_name(options_.draw_policy) +
	     " (sched_ext, slice " + std::to_string(enforce_.slice_ms) + " ms" +
	     (guardian_ ? ", guardian pid " + std::to_string(guardian_->pid()) : std::string()) +
	     "), statistics every " + std::to_string(options_.interval_ms) + " ms");

	int status = 0;
	try {
		for (auto &command : pending_)
			command.start();
		status = loop();
	} catch (const LaunchError &e) {
		err_ << "lottery: " << e.what() << '\n';
		status = 127;
	} catch (const std::exception &e) {
		err_ << "lottery: " << e.what() << '\n';
		status = 1;
	}
	return finish(status);
}

} // namespace

bool use_kernel_mechanism(const CliOptions &options)
{
	switch (options.enforce.mechanism) {
	case Mechanism::Kernel:
		return true;
	case Mechanism::Signals:
		return false;
	case Mechanism::Auto:
		break;
	}
	return options.enforce.whole_machine || access("/sys/kernel/sched_ext", F_OK) == 0;
}

int run_kernel_scheduler(const CliOptions &options, std::ostream &out, std::ostream &err)
{
	KernelRun run(options, out, err);
	return run.run();
}

} // namespace lottery
