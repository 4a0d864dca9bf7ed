// SPDX-License-Identifier: MIT
#include "report.h"

#include "text_format.h"

namespace lottery {

using text::pad_left;
using text::pad_right;

namespace {

std::string plural(std::size_t count, const char *one, const char *many)
{
	return std::to_string(count) + " " + (count == 1 ? one : many);
}

std::string percent(std::uint64_t part, std::uint64_t whole)
{
	return text::fixed(100.0 * ticket_share(part, whole), 1) + "%";
}

std::string winner_text(const Candidate &winner, std::uint64_t total)
{
	return "pid " + std::to_string(winner.task.pid) + " (" + text::printable(winner.task.comm) +
	       ") nice " + std::to_string(winner.task.nice) + " tickets " +
	       std::to_string(winner.tickets) + " share " + percent(winner.tickets, total);
}

std::string table_row(const RunnableTask &task, std::string tickets, std::string share)
{
	return pad_left(std::to_string(task.pid), 7) + " " +
	       pad_left(std::to_string(task.tgid), 7) + " " +
	       pad_right(text::printable(task.comm), 16) + " " +
	       pad_left(std::to_string(task.nice), 4) + " " +
	       pad_right(sched_policy_name(task.policy), 8) + " " +
	       pad_left(std::to_string(task.cpu), 4) + " " + pad_left(tickets, 11) + " " +
	       pad_left(share, 9) + "\n";
}

// "; lost: 4 runnable tasks missing from this snapshot, 58 misses since
// the tracer loaded": the two numbers say now and since load apart (with
// none missing now, only the history: "; 58 misses since ...").
std::string lost_text(std::uint64_t lost_tasks, std::uint64_t misses_since_load)
{
	std::string text = "; ";
	if (lost_tasks)
		text += "lost: " + plural(lost_tasks, "runnable task", "runnable tasks") +
			" missing from this snapshot" + (misses_since_load ? ", " : "");
	if (misses_since_load)
		text += plural(misses_since_load, "miss", "misses") + " since the tracer loaded";
	return text;
}

} // namespace

double ticket_share(std::uint64_t tickets, std::uint64_t total)
{
	return total == 0 ? 0.0 : static_cast<double>(tickets) / static_cast<double>(total);
}

std::string format_round_text(const RoundResult &result, std::string_view no_winner_reason)
{
	std::string line = "round " + std::to_string(result.round) + ": ";
	if (result.winners.empty()) {
		line += "no winner: ";
		line += no_winner_reason.empty() ? "no candidates" : std::string(no_winner_reason);
		if (result.lost_tasks)
			line += lost_text(result.lost_tasks, result.misses_since_load);
		return line;
	}
	line += result.winners.size() == 1 ? "winner " : "winners ";
	for (std::size_t i = 0; i < result.winners.size(); ++i) {
		if (i > 0)
			line += "; ";
		line += winner_text(result.winners[i], result.total_tickets);
	}
	line += " of " + std::to_string(result.total_tickets) + " tickets, " +
		plural(result.candidate_count, "candidate", "candidates");
	// A draw among a truncated set is not the lottery asked for: said in
	// every round it happens.
	if (result.lost_tasks)
		line += lost_text(result.lost_tasks, result.misses_since_load);
	return line;
}

std::string format_candidate_table(const CandidateSet &set)
{
	std::string out = pad_left("PID", 7) + " " + pad_left("TGID", 7) + " " +
			  pad_right("COMM", 16) + " " + pad_left("NICE", 4) + " " +
			  pad_right("POLICY", 8) + " " + pad_left("CPU", 4) + " " +
			  pad_left("TICKETS", 11) + " " + pad_left("SHARE", 9) + "\n";
	for (const auto &candidate : set.candidates)
		out += table_row(candidate.task, std::to_string(candidate.tickets),
				 percent(candidate.tickets, set.total_tickets));
	for (const auto &task : set.realtime)
		out += table_row(task, "-", "not drawn");
	out += plural(set.candidates.size(), "candidate", "candidates") + ", " +
	       plural(set.total_tickets, "ticket", "tickets") + "; left out: " +
	       plural(set.excluded_kernel_threads, "kernel thread", "kernel threads") + ", " +
	       std::to_string(set.excluded_by_filter) + " by the filters, " +
	       std::to_string(set.excluded_self) + " of lottery itself";
	if (set.lost_tasks || set.misses_since_load)
		out += lost_text(set.lost_tasks, set.misses_since_load);
	return out + "\n";
}

std::string format_lost_summary_text(const WinTally &tally)
{
	if (!tally.rounds_with_lost_tasks())
		return "";
	std::string line = "lost: " + std::to_string(tally.rounds_with_lost_tasks()) + " of " +
			   plural(tally.rounds(), "round was", "rounds were") +
			   " drawn with runnable tasks missing from the snapshot (at most " +
			   std::to_string(tally.most_lost_tasks()) + " in one round)";
	if (tally.misses_since_load())
		line += "; " + plural(tally.misses_since_load(), "miss", "misses") +
			" since the tracer loaded";
	return line + "\n";
}

std::string format_summary_text(const WinTally &tally)
{
	const auto total = tally.total_wins();
	std::string out = "summary: " + plural(tally.rounds(), "round", "rounds") + ", " +
			  plural(total, "win", "wins") + "\n";
	out += format_lost_summary_text(tally);
	out += pad_left("PID", 7) + " " + pad_right("COMM", 16) + " " + pad_left("NICE", 4) + " " +
	       pad_left("TICKETS", 11) + " " + pad_left("WINS", 8) + " " +
	       pad_left("OBSERVED%", 9) + " " + pad_left("PROMISED%", 9) + "\n";
	for (const auto &row : tally.rows()) {
		const double observed = total ? 100.0 * row.wins / total : 0.0;
		const double promised = total ? 100.0 * row.expected_wins / total : 0.0;
		out += pad_left(std::to_string(row.pid), 7) + " " +
		       pad_right(text::printable(row.comm), 16) + " " +
		       pad_left(std::to_string(row.nice), 4) + " " +
		       pad_left(std::to_string(row.tickets), 11) + " " +
		       pad_left(std::to_string(row.wins), 8) + " " +
		       pad_left(text::fixed(observed, 1), 9) + " " +
		       pad_left(text::fixed(promised, 1), 9) + "\n";
	}
	return out;
}

} // namespace lottery
