// SPDX-License-Identifier: MIT
#include "report.h"

#include "text_format.h"

namespace lottery {

using text::json_number;
using text::json_string;

namespace {

std::string task_fields(const RunnableTask &task)
{
	return "\"pid\":" + std::to_string(task.pid) + ",\"tgid\":" + std::to_string(task.tgid) +
	       ",\"uid\":" + std::to_string(task.uid) + ",\"comm\":" + json_string(task.comm) +
	       ",\"nice\":" + std::to_string(task.nice) +
	       ",\"sched_policy\":" + json_string(sched_policy_name(task.policy)) +
	       ",\"cpu\":" + std::to_string(task.cpu);
}

// An object of the task's fields and then `more`. Built by appending:
// "{" + std::string trips a false GCC 12 -O3 warning (PR 105651).
std::string task_object(const RunnableTask &task, const std::string &more = {})
{
	std::string out = "{";
	out += task_fields(task);
	out += more;
	out += '}';
	return out;
}

std::string winner_json(const Candidate &winner, std::uint64_t total)
{
	return task_object(winner.task, ",\"tickets\":" + std::to_string(winner.tickets) +
						",\"share\":" +
						json_number(ticket_share(winner.tickets, total)));
}

template <typename Item, typename Format>
std::string json_array(const std::vector<Item> &items, Format format)
{
	std::string out = "[";
	for (std::size_t i = 0; i < items.size(); ++i) {
		if (i > 0)
			out += ',';
		out += format(items[i]);
	}
	return out + "]";
}

} // namespace

std::string format_round_json(const RoundResult &result, const CandidateSet *candidates,
			      std::string_view no_winner_reason)
{
	std::string out = "{\"round\":" + std::to_string(result.round) + ",\"winner\":";
	if (result.winner) {
		out += winner_json(*result.winner, result.total_tickets);
	} else {
		out += "null,\"reason\":";
		out += json_string(no_winner_reason.empty() ? "no candidates" : no_winner_reason);
	}
	if (result.winners.size() > 1)
		out += ",\"winners\":" + json_array(result.winners, [&](const Candidate &winner) {
			       return winner_json(winner, result.total_tickets);
		       });
	out += ",\"total_tickets\":" + std::to_string(result.total_tickets) +
	       ",\"candidates\":" + std::to_string(result.candidate_count) +
	       ",\"lost_tasks\":" + std::to_string(result.lost_tasks) +
	       ",\"misses_since_load\":" + std::to_string(result.misses_since_load);
	if (candidates) {
		out += ",\"candidate_list\":" +
		       json_array(candidates->candidates, [](const Candidate &candidate) {
			       return task_object(candidate.task,
						  ",\"tickets\":" +
							  std::to_string(candidate.tickets));
		       });
		out += ",\"realtime\":" +
		       json_array(candidates->realtime,
				  [](const RunnableTask &task) { return task_object(task); });
	}
	return out + "}";
}

std::string format_lost_summary_json_fields(const WinTally &tally)
{
	return "\"rounds_with_lost_tasks\":" + std::to_string(tally.rounds_with_lost_tasks()) +
	       ",\"most_lost_tasks\":" + std::to_string(tally.most_lost_tasks()) +
	       ",\"misses_since_load\":" + std::to_string(tally.misses_since_load());
}

std::string format_summary_json(const WinTally &tally)
{
	const auto total = tally.total_wins();
	auto share = [&](double wins) { return total ? wins / static_cast<double>(total) : 0.0; };
	std::string out = "{\"rounds\":" + std::to_string(tally.rounds()) +
			  ",\"wins\":" + std::to_string(total) +
			  "," + format_lost_summary_json_fields(tally) + ",\"tasks\":";
	out += json_array(tally.rows(), [&](const TallyRow &row) {
		return "{\"pid\":" + std::to_string(row.pid) +
		       ",\"comm\":" + json_string(row.comm) +
		       ",\"nice\":" + std::to_string(row.nice) +
		       ",\"tickets\":" + std::to_string(row.tickets) +
		       ",\"wins\":" + std::to_string(row.wins) +
		       ",\"expected_wins\":" + json_number(row.expected_wins) +
		       ",\"observed_share\":" + json_number(share(static_cast<double>(row.wins))) +
		       ",\"promised_share\":" + json_number(share(row.expected_wins)) + "}";
	});
	return out + "}";
}

} // namespace lottery
