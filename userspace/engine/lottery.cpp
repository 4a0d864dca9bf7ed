// SPDX-License-Identifier: MIT
#include "lottery.h"

#include <stdexcept>

#include "compensation.h"

namespace lottery {

const char *policy_name(Policy policy)
{
	return policy == Policy::Stride ? "stride" : "lottery";
}

std::optional<Policy> parse_policy(std::string_view name)
{
	if (name == "lottery")
		return Policy::Lottery;
	if (name == "stride")
		return Policy::Stride;
	return std::nullopt;
}

Scheduler::Scheduler(Policy policy, std::uint64_t seed) : policy_(policy), rng_(seed) {}

RoundResult Scheduler::run_round(const CandidateSet &set, std::size_t winners)
{
	if (winners == 0)
		throw std::invalid_argument("a round needs at least one winner");
	RoundResult result;
	result.round = ++round_;
	result.candidate_count = set.candidates.size();
	std::vector<Candidate> drawn = with_compensation(set);
	result.total_tickets = sum_tickets(drawn);
	if (drawn.empty()) {
		stride_clients_.clear();
		return result;
	}

	auto picks = policy_ == Policy::Stride ? draw_stride(drawn, winners, result.total_tickets)
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
	std::vector<std::uint64_t> tickets;
	std::vector<Pass> passes;
	tickets.reserve(drawn.size());
	passes.reserve(drawn.size());
	for (const auto &candidate : drawn) {
		const std::uint64_t t = candidate.tickets;
		Pass pass = global_pass_ + stride_of(t);
		if (auto it = stride_clients_.find(candidate.task.pid);
		    it != stride_clients_.end()) {
			pass = it->second.pass;
			if (it->second.tickets != t) {
				// Signed: a client may lag behind the global pass.
				auto remain = static_cast<__int128>(pass - global_pass_);
				remain = remain * static_cast<__int128>(it->second.tickets) /
					 static_cast<__int128>(t);
				pass = remain < 0 && Pass(-remain) > global_pass_
					       ? 0
					       : global_pass_ + static_cast<Pass>(remain);
			}
		}
		tickets.push_back(t);
		passes.push_back(pass);
	}

	StrideQueue queue(tickets, passes);
	auto picks = queue.draw_distinct(k);
	// One quantum per winner goes by for the system as a whole.
	global_pass_ += stride_of(total) * picks.size();

	std::unordered_map<std::int32_t, StrideClient> clients;
	clients.reserve(drawn.size());
	for (std::size_t i = 0; i < drawn.size(); ++i)
		clients.emplace(drawn[i].task.pid, StrideClient{queue.pass(i), tickets[i]});
	stride_clients_ = std::move(clients);
	return picks;
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
