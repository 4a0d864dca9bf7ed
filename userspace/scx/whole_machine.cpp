// SPDX-License-Identifier: MIT
#include "whole_machine.h"

#include <algorithm>
#include <csignal>
#include <fcntl.h>
#include <memory>
#include <ostream>
#include <unordered_map>

#include "clock.h"
#include "enforce_setup.h"
#include "kernel_period.h"
#include "proc_reader.h"
#include "scx_mechanism.h"
#include "stop_signals.h"

namespace lottery {

namespace {

constexpr std::size_t top_processes = 5;     // in each statistics line
constexpr std::size_t summary_processes = 20; // the busiest

class WholeMachineRun {
public:
	WholeMachineRun(const EnforcedRunConfig &config, std::ostream &out, std::ostream &err)
		: config_(config), enforce_(config.enforce), out_(out), err_(err),
		  tickets_(config.tickets),
		  signals_(stop_grace_ms(config.period_ms) + scx_detach_ms,
			   config.enforce.tickets_file.has_value())
	{
	}

	int run();

private:
	void note(const std::string &line) { (config_.json ? err_ : out_) << line << '\n'; }
	std::string comm_of(std::int32_t tgid);
	ScxSample sample();
	bool reload_tickets_file();
	void write_tickets();
	int loop();
	int finish(int status);

	const EnforcedRunConfig &config_;
	const EnforceOptions &enforce_;
	std::ostream &out_;
	std::ostream &err_;
	std::unique_ptr<ScxScheduler> scheduler_;
	TicketOverrides tickets_; // --tickets with the tickets file's over them
	std::unordered_map<std::int32_t, std::uint64_t> written_tickets_; // in the scheduler's map
	std::unordered_map<std::int32_t, std::string> comms_;
	StopSignals signals_;
};

std::string WholeMachineRun::comm_of(std::int32_t tgid)
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

ScxSample WholeMachineRun::sample()
{
	ScxSample s;
	s.time_ns = monotonic_ns();
	s.counters = scheduler_->counters();
	s.processes = by_process(scheduler_->task_stats(), [&](std::int32_t tgid) { return comm_of(tgid); });
	return s;
}

bool WholeMachineRun::reload_tickets_file()
{
	std::string error;
	auto loaded = load_tickets_file(*enforce_.tickets_file, &error);
	if (!loaded) {
		err_ << "lottery: " << error << '\n';
		return false;
	}
	tickets_ = config_.tickets;
	for (const auto &[pid, tickets] : loaded->by_pid)
		tickets_.by_pid[pid] = tickets;
	return true;
}

// The overrides go in as they are (a tid or a tgid); every other task holds
// its nice weight.
void WholeMachineRun::write_tickets()
{
	std::unordered_map<std::int32_t, std::uint64_t> wanted(tickets_.by_pid.begin(),
								 tickets_.by_pid.end());
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

int WholeMachineRun::loop()
{
	const std::uint64_t interval_ns = config_.period_ms * 1000000ULL;
	ScxSample before = sample();
	std::uint64_t deadline = before.time_ns;
	for (std::uint64_t n = 0; !config_.rounds || n < *config_.rounds; ++n) {
		deadline += interval_ns;
		while (monotonic_ns() < deadline) {
			// Short waits: an ejection is seen within 100 ms.
			int sig = signals_.wait_until(std::min<std::uint64_t>(deadline, monotonic_ns() + 100000000ULL));
			if (sig == SIGHUP && enforce_.tickets_file) {
				if (reload_tickets_file()) {
					write_tickets();
					note("lottery: reread " + *enforce_.tickets_file);
				}
			} else if (sig != 0) {
				return 0;
			}
			if (scheduler_->exit_info())
				return 1;
		}
		ScxSample now = sample();
		const PeriodReport period = period_between(before, now);
		out_ << format_kernel_period_line(*period.draws, period.counters, top_processes, config_.json)
		     << std::endl;
		before = std::move(now);
	}
	return 0;
}

int WholeMachineRun::finish(int status)
{
	ScxSample last = sample();
	scheduler_->detach();

	std::vector<CpuRow> rows = scx_summary_rows(last.processes, {});
	std::string among = "the machine's processes";
	if (rows.size() > summary_processes) {
		std::partial_sort(rows.begin(), rows.begin() + summary_processes, rows.end(),
				  [](const CpuRow &a, const CpuRow &b) { return a.cpu_ns > b.cpu_ns; });
		rows.resize(summary_processes);
		std::sort(rows.begin(), rows.end(), [](const CpuRow &a, const CpuRow &b) { return a.pid < b.pid; });
		among = "the machine's " + std::to_string(summary_processes) + " busiest processes";
	}
	const std::uint64_t draws = last.counters.draws();
	auto exit = scheduler_->exit_info();
	const bool ejected = exit && exit->ejected();
	// The reason first, as an enforced run prints it.
	if (ejected)
		err_ << "lottery: " << format_scx_exit_text(*exit) << std::endl;
	if (config_.json) {
		out_ << "{\"summary\":" << format_cpu_summary_json(rows, draws) << ",\"draw_policy\":\""
		     << draw_policy_name(config_.draw_policy) << "\",\"mechanism\":\"kernel\"}\n";
		if (exit)
			out_ << format_scx_exit_json(*exit) << '\n';
	} else {
		out_ << format_cpu_summary_text(rows, draws, nullptr, among);
	}
	out_.flush();
	return ejected ? 1 : status;
}

int WholeMachineRun::run()
{
	ScxAvailability availability = scx_availability();
	if (!availability.available) {
		err_ << "lottery: " << availability.reason << '\n';
		return 1;
	}
	if (enforce_.tickets_file && !reload_tickets_file())
		return 2;
	for (int sig : {SIGTSTP, SIGTTIN, SIGTTOU})
		signal(sig, SIG_IGN);
	try {
		scheduler_ = std::make_unique<ScxScheduler>(scx_settings(config_));
		write_tickets();
	} catch (const std::exception &e) {
		err_ << "lottery: " << e.what() << '\n';
		return scheduler_ ? finish(1) : 1;
	}
	note(std::string("lottery: the kernel schedules the whole machine by ") + draw_policy_name(config_.draw_policy) +
	     " (sched_ext, slice " + std::to_string(enforce_.slice_ms) + " ms), statistics every " +
	     std::to_string(config_.period_ms) + " ms");
	int status = 0;
	try {
		status = loop();
	} catch (const std::exception &e) {
		err_ << "lottery: " << e.what() << '\n';
		status = 1;
	}
	return finish(status);
}

} // namespace

int run_whole_machine(const EnforcedRunConfig &config, std::ostream &out, std::ostream &err)
{
	WholeMachineRun run(config, out, err);
	return run.run();
}

} // namespace lottery
