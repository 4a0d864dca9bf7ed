// SPDX-License-Identifier: MIT
// The lottery draw: a seeded generator that gives the same sequence on
// every platform, and a ticket table that draws in O(1) with probability
// exactly tickets / total.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace lottery {

struct CandidateSet;

// xoshiro256** (Blackman and Vigna), its state filled from the seed by
// splitmix64 as its authors recommend. Only integer operations, so a seed
// means the same draws on every compiler and CPU.
class Rng {
public:
	explicit Rng(std::uint64_t seed);

	std::uint64_t next()
	{
		const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
		const std::uint64_t t = state_[1] << 17;
		state_[2] ^= state_[0];
		state_[3] ^= state_[1];
		state_[1] ^= state_[2];
		state_[0] ^= state_[3];
		state_[2] ^= t;
		state_[3] = rotl(state_[3], 45);
		return result;
	}

	// Uniform in [0, bound), without modulo bias: Lemire's multiply-shift
	// with rejection ("Fast random integer generation in an interval",
	// 2019). bound must be positive; below(0) returns 0.
	std::uint64_t below(std::uint64_t bound)
	{
		unsigned __int128 product = static_cast<unsigned __int128>(next()) * bound;
		auto low = static_cast<std::uint64_t>(product);
		if (low < bound) {
			const std::uint64_t threshold = -bound % bound;
			while (low < threshold) {
				product = static_cast<unsigned __int128>(next()) * bound;
				low = static_cast<std::uint64_t>(product);
			}
		}
		return static_cast<std::uint64_t>(product >> 64);
	}

private:
	static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

	std::array<std::uint64_t, 4> state_;
};

// Walker's alias method, built by Vose's O(n) algorithm, in integers.
//
// Why the draw is exact: give every one of the n buckets `total` units and
// item i w_i * n units, so that both sides hold n * total units. Vose's
// pairing fills each bucket with at most two items by moving whole units,
// so no unit is lost or rounded: item i ends up owning exactly w_i * n of
// the n * total (bucket, u) pairs. A draw picks one pair uniformly (bucket
// by below(n), u by below(total), both unbiased), hence item i with
// probability w_i * n / (n * total) = w_i / total, exactly.
class TicketTable {
public:
	TicketTable() = default;
	// Items with 0 tickets are never drawn. Throws std::invalid_argument if
	// every item has 0 tickets, std::overflow_error if the tickets do not
	// sum in 64 bits, std::length_error beyond 2^32 items.
	explicit TicketTable(std::span<const std::uint64_t> tickets);
	explicit TicketTable(const CandidateSet &set);

	// Index of the winning item. The table must not be empty.
	std::size_t draw(Rng &rng) const
	{
		const Bucket &bucket = buckets_[rng.below(buckets_.size())];
		const std::size_t index = &bucket - buckets_.data();
		return rng.below(total_) < bucket.threshold ? index : bucket.alias;
	}

	// Up to k different items, drawn one after the other without
	// replacement: each next winner with probability w_i / (tickets left).
	// Returns fewer than k only when fewer items have tickets. O(n) when
	// k > 1 (it reads the tickets back), O(1) for k == 1.
	std::vector<std::size_t> draw_distinct(Rng &rng, std::size_t k) const;

	std::uint64_t total() const { return total_; }
	std::size_t size() const { return buckets_.size(); }
	bool empty() const { return buckets_.empty(); }

	// Each item's tickets, read back from the table in O(n): the units it
	// owns divided by n. Equal to what the table was built from exactly
	// when the build lost no unit.
	std::vector<std::uint64_t> tickets() const;

	// The layout, for tests that check the exactness argument above.
	std::uint64_t threshold(std::size_t bucket) const { return buckets_[bucket].threshold; }
	std::size_t alias(std::size_t bucket) const { return buckets_[bucket].alias; }

private:
	struct Bucket {
		// Leaves the fields unset, so that resizing the table for a
		// build does not write every bucket twice: at a million items
		// the zeroing was a third of the build.
		Bucket() {}
		Bucket(std::uint64_t threshold, std::uint32_t alias) : threshold(threshold), alias(alias) {}

		std::uint64_t threshold; // u < threshold: this bucket's own item
		std::uint32_t alias;	 // otherwise this one
	};

	template <typename Units> void build(std::span<const std::uint64_t> tickets);

	std::vector<Bucket> buckets_;
	std::uint64_t total_ = 0;
};

// The tickets of a candidate set, in its order.
std::vector<std::uint64_t> tickets_of(const CandidateSet &set);

} // namespace lottery
