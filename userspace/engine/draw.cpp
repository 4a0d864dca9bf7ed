// SPDX-License-Identifier: MIT
#include "draw.h"

#include <algorithm>
#include <limits>
#include <memory>
#include <stdexcept>
#include <type_traits>

#include "candidates.h"

namespace lottery {

namespace {

std::uint64_t splitmix64(std::uint64_t &x)
{
	std::uint64_t z = (x += 0x9e3779b97f4a7c15);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
	return z ^ (z >> 31);
}

// Rejection draws tried before draw_distinct falls back to a linear scan:
// enough that the scan is rare unless the winners so far hold most tickets.
constexpr int rejection_attempts = 64;

} // namespace

Rng::Rng(std::uint64_t seed)
{
	for (auto &word : state_)
		word = splitmix64(seed);
}

std::vector<std::uint64_t> tickets_of(const CandidateSet &set)
{
	std::vector<std::uint64_t> tickets;
	tickets.reserve(set.candidates.size());
	for (const auto &candidate : set.candidates)
		tickets.push_back(candidate.tickets);
	return tickets;
}

TicketTable::TicketTable(const CandidateSet &set) : TicketTable(tickets_of(set)) {}

TicketTable::TicketTable(std::span<const std::uint64_t> tickets)
{
	if (tickets.empty())
		return;
	if (tickets.size() > std::numeric_limits<std::uint32_t>::max())
		throw std::length_error("more than 2^32 items in a ticket table");
	for (auto t : tickets)
		if (__builtin_add_overflow(total_, t, &total_))
			throw std::overflow_error("the tickets add up to more than 2^64");
	if (total_ == 0)
		throw std::invalid_argument("no item holds any tickets");

	// Units per item are w_i * n, up to total * n: 64 bits when that fits,
	// 128 otherwise (a million tasks with 2^32 tickets each).
	std::uint64_t product;
	if (__builtin_mul_overflow(total_, std::uint64_t{tickets.size()}, &product))
		build<unsigned __int128>(tickets);
	else
		build<std::uint64_t>(tickets);
}

// Vose's algorithm with one index array: the small items stack up from its
// front, the large from its back, and the two never meet since every
// pairing retires one item. In the 64-bit case the units live in the
// thresholds they will become, so a build allocates the table, the index
// array and nothing else: at a million items, memory traffic is the cost.
template <typename Units> void TicketTable::build(std::span<const std::uint64_t> tickets)
{
	constexpr bool narrow = std::is_same_v<Units, std::uint64_t>;
	const std::size_t n = tickets.size();
	buckets_.resize(n);
	std::vector<Units> wide(narrow ? 0 : n);
	auto units = [&](std::size_t i) -> Units & {
		if constexpr (narrow)
			return buckets_[i].threshold;
		else
			return wide[i];
	};

	// Every slot is written before it is read: no zeroing.
	auto work = std::make_unique_for_overwrite<std::uint32_t[]>(n);
	std::size_t small = 0, large = n; // small: work[0, small); large: work[large, n)
	for (std::size_t i = 0; i < n; ++i) {
		units(i) = static_cast<Units>(tickets[i]) * n;
		work[units(i) < total_ ? small++ : --large] = static_cast<std::uint32_t>(i);
	}
	while (small > 0 && large < n) {
		const std::uint32_t lender = work[--small];
		const std::uint32_t filler = work[large];
		buckets_[lender].threshold = static_cast<std::uint64_t>(units(lender));
		buckets_[lender].alias = filler;
		units(filler) -= total_ - units(lender);
		if (units(filler) < total_) {
			++large;
			work[small++] = filler;
		}
	}
	// Units are conserved, so what remains holds exactly `total` each: a
	// leftover small item would mean units were lost.
	if (small > 0)
		throw std::logic_error("alias table lost units");
	for (std::size_t j = large; j < n; ++j)
		buckets_[work[j]] = Bucket{total_, work[j]};
}

std::vector<std::uint64_t> TicketTable::tickets() const
{
	std::vector<unsigned __int128> units(size());
	for (std::size_t b = 0; b < size(); ++b) {
		units[b] += buckets_[b].threshold;
		if (buckets_[b].threshold < total_)
			units[buckets_[b].alias] += total_ - buckets_[b].threshold;
	}
	std::vector<std::uint64_t> out(size());
	for (std::size_t i = 0; i < size(); ++i)
		out[i] = static_cast<std::uint64_t>(units[i] / size());
	return out;
}

std::vector<std::size_t> TicketTable::draw_distinct(Rng &rng, std::size_t k) const
{
	if (k == 0 || empty())
		return {};
	if (k == 1)
		return {draw(rng)};
	const std::vector<std::uint64_t> weights = tickets();
	std::vector<std::size_t> winners;
	std::vector<bool> taken(size(), false);
	std::uint64_t left = total_;
	while (winners.size() < k && left > 0) {
		// A draw from the whole table, rejected when already taken, is
		// a draw from what is left with the right odds.
		std::size_t winner = size();
		for (int attempt = 0; attempt < rejection_attempts && winner == size(); ++attempt) {
			auto pick = draw(rng);
			if (!taken[pick])
				winner = pick;
		}
		if (winner == size()) {
			auto u = rng.below(left);
			for (winner = 0; taken[winner] || u >= weights[winner]; ++winner)
				if (!taken[winner])
					u -= weights[winner];
		}
		taken[winner] = true;
		left -= weights[winner];
		winners.push_back(winner);
	}
	return winners;
}

} // namespace lottery
