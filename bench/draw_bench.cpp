// SPDX-License-Identifier: MIT
// What a draw and a table build cost as the candidates grow. The draw must
// stay under 150 ns at a million candidates and the build must be linear:
// the "per_candidate" counter of the build benchmarks should stay flat.
//
//   draw_bench [--benchmark_filter=Draw] [--benchmark_min_time=0.5]
//
// (Debian's libbenchmark says "Library was built as DEBUG": a packaging
// quirk; the code measured here is built by this project's own flags.)
#include <algorithm>
#include <numeric>
#include <vector>

#include <benchmark/benchmark.h>

#include "draw.h"
#include "scheduler.h"
#include "stride.h"
#include "tickets.h"

using namespace lottery;

namespace {

// Tickets as a real machine would have them: the kernel's weight for a
// random nice value.
std::vector<std::uint64_t> nice_tickets(std::size_t n)
{
	Rng rng(n);
	std::vector<std::uint64_t> tickets(n);
	for (auto &t : tickets)
		t = nice_to_weight(static_cast<int>(rng.below(40)) - 20);
	return tickets;
}

CandidateSet candidate_set(std::size_t n)
{
	CandidateSet set;
	auto tickets = nice_tickets(n);
	for (std::size_t i = 0; i < n; ++i) {
		Candidate c;
		c.task.pid = c.task.tgid = static_cast<std::int32_t>(i + 1);
		c.tickets = tickets[i];
		set.candidates.push_back(c);
	}
	set.total_tickets = sum_tickets(set.candidates);
	return set;
}

// Time per candidate, shown with an SI prefix ("14.1n" is 14.1 ns): flat
// across sizes when the cost is linear.
void per_candidate(benchmark::State &state)
{
	state.SetComplexityN(state.range(0));
	state.counters["per_candidate"] =
		benchmark::Counter(double(state.range(0)) * double(state.iterations()),
				   benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

// The ticket table (lottery) or the heap (stride) for one round.
template <typename Structure> void Build(benchmark::State &state)
{
	auto tickets = nice_tickets(state.range(0));
	for (auto _ : state) {
		Structure built(tickets);
		benchmark::DoNotOptimize(built.size());
	}
	per_candidate(state);
}

void LotteryDraw(benchmark::State &state)
{
	TicketTable table(nice_tickets(state.range(0)));
	Rng rng(1);
	for (auto _ : state)
		benchmark::DoNotOptimize(table.draw(rng));
}

void StrideDraw(benchmark::State &state)
{
	StrideQueue queue(nice_tickets(state.range(0)));
	for (auto _ : state)
		benchmark::DoNotOptimize(queue.draw());
}

// The usual alternative: binary search in the prefix sums, O(log n) a draw.
void PrefixSumDraw(benchmark::State &state)
{
	auto tickets = nice_tickets(state.range(0));
	std::vector<std::uint64_t> prefix(tickets.size());
	std::inclusive_scan(tickets.begin(), tickets.end(), prefix.begin());
	Rng rng(1);
	for (auto _ : state) {
		auto u = rng.below(prefix.back());
		benchmark::DoNotOptimize(std::upper_bound(prefix.begin(), prefix.end(), u));
	}
}

// A whole round as the CLI runs it: gather tickets, build, draw, and for
// stride look up and store every client's pass.
void Round(benchmark::State &state, DrawPolicy policy)
{
	auto set = candidate_set(state.range(0));
	Scheduler scheduler(policy, 1);
	for (auto _ : state)
		benchmark::DoNotOptimize(scheduler.run_round(set));
	per_candidate(state);
}

void Sizes(benchmark::internal::Benchmark *b)
{
	for (std::int64_t n : {10, 1000, 100000, 1000000})
		b->Arg(n);
}

} // namespace

BENCHMARK(LotteryDraw)->Apply(Sizes);
BENCHMARK(StrideDraw)->Apply(Sizes);
BENCHMARK(PrefixSumDraw)->Apply(Sizes);
// bench/draw.sh reads these names: LotteryDraw, StrideDraw, LotteryBuild,
// StrideBuild.
BENCHMARK_TEMPLATE(Build, TicketTable)
	->Name("LotteryBuild")
	->Apply(Sizes)
	->Unit(benchmark::kMicrosecond);
BENCHMARK_TEMPLATE(Build, StrideQueue)
	->Name("StrideBuild")
	->Apply(Sizes)
	->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(Round, lottery, DrawPolicy::Lottery)
	->Name("LotteryRound")
	->Apply(Sizes)
	->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(Round, stride, DrawPolicy::Stride)
	->Name("StrideRound")
	->Apply(Sizes)
	->Unit(benchmark::kMicrosecond);
