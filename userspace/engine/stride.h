// SPDX-License-Identifier: MIT
// Stride scheduling (Waldspurger and Weihl, 1995), lottery's deterministic
// counterpart: each client advances a "pass" by stride = stride1 / tickets
// each time it wins, and the lowest pass wins next.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace lottery {

// Passes and strides in 128 bits with stride1 = 2^64: a stride is
// truncated by less than one part in 2^32 even at 2^32 tickets, so the
// rounding drifts by less than a quantum over 2^32 wins, and a pass cannot
// wrap in any run this program will see.
using Pass = unsigned __int128;
inline constexpr Pass stride1 = Pass{1} << 64;

// stride1 / tickets; tickets must be positive.
inline Pass stride_of(std::uint64_t tickets)
{
	return stride1 / tickets;
}

// A min-heap of clients by (pass, index): O(n) to build, O(log n) a draw.
// Ties go to the lower index, which is the lower pid when the clients come
// from a CandidateSet.
class StrideQueue {
public:
	// With no passes given every client starts one stride in, as a client
	// that joins at global pass 0 does in the paper. Throws
	// std::invalid_argument for a client with 0 tickets or when the spans
	// differ in length.
	explicit StrideQueue(std::span<const std::uint64_t> tickets,
			     std::span<const Pass> passes = {});

	// The client with the lowest pass; its pass advances by its stride.
	std::size_t draw();

	// The k clients with the lowest passes (fewer if there are fewer
	// clients), each advanced by one stride. They are taken out of the
	// queue: this is a queue for one round.
	std::vector<std::size_t> draw_distinct(std::size_t k);

	Pass pass(std::size_t client) const { return passes_[client]; }
	std::size_t size() const { return passes_.size(); }

private:
	bool before(std::uint32_t a, std::uint32_t b) const
	{
		return passes_[a] < passes_[b] || (passes_[a] == passes_[b] && a < b);
	}
	void sift_down(std::size_t slot);
	void pop();

	std::vector<Pass> passes_;
	std::vector<Pass> strides_;
	std::vector<std::uint32_t> heap_; // client indices, heap-ordered
};

} // namespace lottery
