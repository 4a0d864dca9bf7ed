// SPDX-License-Identifier: MIT
// One round: the candidates and their tickets go in, the winners come out.
// The Scheduler holds what must outlive a round: the generator, stride's
// passes and compensation tickets.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "candidates.h"
#include "draw.h"
#include "stride.h"

namespace lottery {

enum class DrawPolicy { Lottery, Stride };

const char *draw_policy_name(DrawPolicy policy); // "lottery" or "stride"
std::optional<DrawPolicy> parse_draw_policy(std::string_view name);

struct RoundResult {
	std::uint64_t round = 0;	 // 1 for the first round
	std::optional<Candidate> winner; // the first of winners
	std::vector<Candidate> winners;	 // one per CPU drawn for, all different
	// Tickets as drawn: a candidate's tickets here include compensation.
	std::uint64_t total_tickets = 0;
	std::size_t candidate_count = 0;
	// From the candidate set, meaning what they mean in Snapshot (snapshot.h).
	std::uint64_t lost_tasks = 0;
	std::uint64_t misses_since_load = 0;
};

class Scheduler {
public:
	Scheduler(DrawPolicy policy, std::uint64_t seed);

	// Draws `winners` different candidates (one per CPU; fewer if there
	// are fewer candidates). Lottery: by tickets, without replacement.
	// Stride: the lowest passes, ties to the lower pid. Throws
	// std::invalid_argument when winners is 0.
	RoundResult run_round(const CandidateSet &set, std::size_t winners = 1);

	// After a win: the task ran used_ns of its quantum_ns. Less than the
	// whole quantum earns compensation tickets until its next win; they
	// survive while the task is blocked and absent from the candidates.
	void record_usage(std::int32_t pid, std::uint64_t used_ns, std::uint64_t quantum_ns);

	// The task exited: drop its compensation and stride state.
	void forget(std::int32_t pid);

	// The candidates with the tickets a draw would give them now: their
	// own, times their compensation. A scheduler in the kernel draws from
	// these.
	std::vector<Candidate> with_compensation(const CandidateSet &set) const;

	DrawPolicy draw_policy() const { return draw_policy_; }
	std::uint64_t rounds() const { return round_; }

	// Stride's state, for tests and the --debug view.
	std::optional<Pass> stride_pass(std::int32_t pid) const;
	Pass global_pass() const { return global_pass_; }

private:
	struct StrideClient {
		Pass pass;
		std::uint64_t tickets;
		std::uint64_t seen_round; // clients not seen this round have left
	};
	struct Usage {
		std::uint64_t used_ns;
		std::uint64_t quantum_ns;
	};

	std::vector<std::size_t> draw_lottery(const std::vector<Candidate> &drawn, std::size_t k);
	void rebase_passes();
	std::vector<std::size_t> draw_stride(const std::vector<Candidate> &drawn, std::size_t k,
					     std::uint64_t total);

	DrawPolicy draw_policy_;
	Rng rng_;
	std::uint64_t round_ = 0;
	std::unordered_map<std::int32_t, StrideClient> stride_clients_;
	Pass global_pass_ = 0;
	std::unordered_map<std::int32_t, Usage> usage_;
};

} // namespace lottery
