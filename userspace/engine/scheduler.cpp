// SPDX-License-Identifier: MIT
#include "scheduler.h"

#include <stdexcept>

#include "compensation.h"

namespace lottery {

const char *draw_policy_name(DrawPolicy policy)
{
	return policy == DrawPolicy::Stride ? "stride" : "lottery";
}

std::optional<DrawPolicy> parse_draw_policy(std::string_view name)
{
	if (name == "lottery")
		return DrawPolicy::Lottery;
	if (name == "stride")
		return DrawPolicy::Stride;
	return std::nullopt;
}

Scheduler::Scheduler(DrawPolicy policy, std::uint64_t seed) : draw_policy_(policy), rng_(seed) {}

RoundResult Scheduler::run_round(const CandidateSet &set, std::size_t winners)
{
	if (winners == 0)
		throw std::invalid_argument("a round needs at least one winner");
	RoundResult result;
	result.round = ++round_;
	result.candidate_count = set.candidates.size();
	result.lost_tasks = set.lost_tasks;
	result.misses_since_load = set.misses_since_load;
	// Copied only when compensation changes some tickets: a million
	// candidates cost more to copy than to draw from.
	std::vector<Candidate> compensated;
	const std::vector<Candidate> &drawn =
		usage_.empty() ? set.candidates : (compensated = with_compensation(set));
	result.total_tickets = sum_tickets(drawn);
	if (drawn.empty()) {
		stride_clients_.clear();
		return result;
	}

	auto picks = draw_policy_ == DrawPolicy::Stride
			     ? draw_stride(drawn, winners, result.total_tickets)
			     : draw_lottery(drawn, winners);
	for (auto index : picks) {
		usage_.erase(drawn[index].task.pid); // compensation lasts until the next win
		result.winners.push_back(drawn[index]);
	}
	result.winner = result.winners.front();
	return result;
}

std::vector<Candidate> Scheduler::with_compensation(const CandidateSet &set) const
{
	std::vector<Candidate> drawn = set.candidates;
	if (usage_.empty())
		return drawn;
	for (auto &candidate : drawn)
		if (auto it = usage_.find(candidate.task.pid); it != usage_.end())
			candidate.tickets = compensated_tickets(
				candidate.tickets, it->second.used_ns, it->second.quantum_ns);
	return drawn;
}

std::vector<std::size_t> Scheduler::draw_lottery(const std::vector<Candidate> &drawn, std::size_t k)
{
	std::vector<std::uint64_t> tickets;
	tickets.reserve(drawn.size());
	for (const auto &candidate : drawn)
		tickets.push_back(candidate.tickets);
	TicketTable table(tickets);
	if (k == 1)
		return {table.draw(rng_)};
	return table.draw_distinct(rng_, k);
}

// The paper's dynamic stride: a newcomer joins one stride past the global
// pass; a client whose tickets change keeps its remaining distance to the
// global pass, rescaled to the new stride; a client that left is forgotten.
std::vector<std::size_t> Scheduler::draw_stride(const std::vector<Candidate> &drawn, std::size_t k,
						std::uint64_t total)
{
	rebase_passes();
	std::vector<std::uint64_t> tickets;
	std::vector<Pass> passes;
	std::vector<StrideClient *> clients; // stable: rehashing moves no element
	tickets.reserve(drawn.size());
	passes.reserve(drawn.size());
	clients.reserve(drawn.size());
	for (const auto &candidate : drawn) {
		const std::uint64_t t = candidate.tickets;
		auto [it, joined] = stride_clients_.try_emplace(
			candidate.task.pid, StrideClient{global_pass_ + stride_of(t), t, round_});
		StrideClient &client = it->second;
		if (!joined && client.tickets != t) {
			// Signed: a client may lag behind the global pass.
			auto remain = static_cast<__int128>(client.pass - global_pass_);
			remain = remain * static_cast<__int128>(client.tickets) /
				 static_cast<__int128>(t);
			client.pass = remain < 0 && Pass(-remain) > global_pass_
					      ? 0
					      : global_pass_ + static_cast<Pass>(remain);
			client.tickets = t;
		}
		client.seen_round = round_;
		tickets.push_back(t);
		passes.push_back(client.pass);
		clients.push_back(&client);
	}

	auto picks = StrideQueue(tickets, passes).draw_distinct(k);
	for (auto index : picks)
		clients[index]->pass += stride_of(tickets[index]);
	// One quantum per winner goes by for the system as a whole.
	global_pass_ += Pass{stride_of(total)} * picks.size();
	if (stride_clients_.size() > drawn.size())
		std::erase_if(stride_clients_,
			      [&](const auto &entry) { return entry.second.seen_round != round_; });
	return picks;
}

// Passes only matter relative to each other: when the global pass nears
// the queue's 96 bits (after some 2^33 quanta at the very least), every
// pass moves down by the same amount, keeping 2^64 below the global pass
// for clients that lag.
void Scheduler::rebase_passes()
{
	constexpr Pass limit = Pass{1} << 90, keep = Pass{1} << 64;
	if (global_pass_ < limit)
		return;
	const Pass shift = global_pass_ - keep;
	for (auto &[pid, client] : stride_clients_)
		client.pass = client.pass > shift ? client.pass - shift : 0;
	global_pass_ -= shift;
}

void Scheduler::record_usage(std::int32_t pid, std::uint64_t used_ns, std::uint64_t quantum_ns)
{
	if (quantum_ns == 0 || used_ns >= quantum_ns)
		usage_.erase(pid);
	else
		usage_[pid] = Usage{used_ns, quantum_ns};
}

void Scheduler::forget(std::int32_t pid)
{
	usage_.erase(pid);
	stride_clients_.erase(pid);
}

std::optional<Pass> Scheduler::stride_pass(std::int32_t pid) const
{
	if (auto it = stride_clients_.find(pid); it != stride_clients_.end())
		return it->second.pass;
	return std::nullopt;
}

} // namespace lottery
