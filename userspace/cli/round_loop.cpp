// SPDX-License-Identifier: MIT
#include "round_loop.h"

#include <cerrno>
#include <csignal>
#include <ctime>
#include <ostream>
#include <pwd.h>
#include <random>
#include <unistd.h>

#include "report.h"
#include "stop_signals.h"
#include "tally.h"
#include "text_format.h"

namespace lottery {

namespace {

std::uint32_t resolve_user(const std::string &name)
{
	bool numeric = !name.empty() && name.find_first_not_of("0123456789") == std::string::npos;
	if (numeric && name.size() <= 10) {
		unsigned long uid = std::stoul(name);
		if (uid <= UINT32_MAX)
			return static_cast<std::uint32_t>(uid);
	}
	if (const struct passwd *pw = getpwnam(name.c_str()))
		return pw->pw_uid;
	throw UsageError("--user " + text::printable(name) + ": no such user");
}

// Drops every candidate the source says is stale: --debug's table is read
// by people, who should see only tasks that are really runnable. (Checking
// everyone costs a /proc read each, too much for every round at scale.)
void drop_stale(CandidateSet &candidates, SnapshotSource &source, std::vector<Candidate> &stale)
{
	std::erase_if(candidates.candidates, [&](const Candidate &c) {
		if (source.still_runnable(c.task))
			return false;
		candidates.total_tickets -= c.tickets;
		stale.push_back(c);
		return true;
	});
}

// Draws until the winner is confirmed runnable by the source, dropping
// stale records from the candidates (and from the source) as it goes; the
// tally then sees only the tasks the round was really drawn among.
RoundResult draw_confirmed(Scheduler &scheduler, CandidateSet &candidates, SnapshotSource &source,
			   std::vector<Candidate> &stale)
{
	for (;;) {
		RoundResult result = scheduler.run_round(candidates);
		if (!result.winner || source.still_runnable(result.winner->task))
			return result;
		std::int32_t pid = result.winner->task.pid;
		std::erase_if(candidates.candidates,
			      [pid](const Candidate &c) { return c.task.pid == pid; });
		candidates.total_tickets -= result.winner->tickets;
		scheduler.forget(pid);
		stale.push_back(*result.winner);
	}
}

} // namespace

int run_rounds(const CliOptions &options, std::ostream &out, std::ostream &err)
{
	CandidateFilter filter = options.filter;
	for (const auto &user : options.users)
		filter.uids.push_back(resolve_user(user));
	filter.self_tgid = getpid();

	std::uint64_t seed = options.seed ? *options.seed : std::random_device{}();
	StopSignals stop_signals(stop_grace_ms(options.interval_ms));
	std::unique_ptr<SnapshotSource> source = open_source_or_explain(options.backend, options.backend_options, err);
	if (!source)
		return 1;

	if (!options.json)
		out << "lottery: backend " << source->name() << ", every " << options.interval_ms
		    << " ms, policy " << draw_policy_name(options.draw_policy)
		    << ", seed " << seed << "\n";

	Scheduler scheduler(options.draw_policy, seed);
	WinTally tally;
	int status = 0;
	std::uint64_t deadline = monotonic_ns();
	for (std::uint64_t round = 0; !options.rounds || round < *options.rounds; round++) {
		if (round > 0) {
			deadline += options.interval_ms * 1000000ULL;
			if (stop_signals.wait_until(deadline))
				break;
		}
		Snapshot snapshot;
		try {
			snapshot = source->take_snapshot();
		} catch (const BackendError &e) {
			err << "lottery: " << e.what() << '\n';
			status = 1;
			break;
		}
		CandidateSet candidates = select_candidates(snapshot, filter, options.tickets);
		std::vector<Candidate> stale;
		if (options.debug)
			drop_stale(candidates, *source, stale);
		RoundResult result = draw_confirmed(scheduler, candidates, *source, stale);
		result.round = round + 1;
		tally.record(result, candidates);
		std::string why = result.winner ? "" : why_no_candidates(candidates, snapshot);
		if (options.json) {
			out << format_round_json(result, options.debug ? &candidates : nullptr, why)
			    << '\n';
		} else {
			if (options.debug) {
				out << format_candidate_table(candidates);
				for (const auto &c : stale)
					out << "dropped pid " << c.task.pid
					    << ": its record said runnable, the kernel says it is not\n";
			}
			out << format_round_text(result, why) << '\n';
		}
		out.flush();
	}

	if (options.json)
		// The last line: the summary, with what it takes to reproduce the run.
		out << "{\"summary\":" << format_summary_json(tally) << ",\"backend\":\""
		    << source->name() << "\",\"seed\":" << seed << "}\n";
	else
		out << format_summary_text(tally);
	out.flush();
	return status;
}

} // namespace lottery
