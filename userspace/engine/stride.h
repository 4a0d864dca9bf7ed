// SPDX-License-Identifier: MIT
// Stride scheduling (Waldspurger and Weihl, 1995), lottery's deterministic
// counterpart: each client advances a "pass" by stride = stride1 / tickets
// each time it wins, and the lowest pass wins next.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <span>
#include <vector>

namespace lottery {

// stride1 = 2^63, so that a stride fits in 64 bits even for one ticket and
// is truncated by less than one part in 2^31 at 2^32 tickets: the rounding
// drifts by less than a quantum over 2^31 wins. Passes have 96 bits (see
// StrideQueue); the Scheduler rebases them long before they run out.
using Pass = unsigned __int128;
inline constexpr std::uint64_t stride1 = std::uint64_t{1} << 63;
inline constexpr Pass max_pass = (Pass{1} << 96) - 1;

// stride1 / tickets; tickets must be positive.
inline std::uint64_t stride_of(std::uint64_t tickets)
{
	return stride1 / tickets;
}

// Frees what operator new[] allocated with the same alignment.
struct AlignedDelete {
	std::align_val_t alignment = std::align_val_t{64};
	void operator()(Pass *p) const { ::operator delete[](p, alignment); }
};

// A 4-ary min-heap of clients by (pass, index): O(n) to build, O(log n) a
// draw. Each entry is one 128-bit key, pass << 32 | index, so a single
// compare orders by pass and breaks ties by index; the four children of a
// node fill exactly one 64-byte cache line, so a draw at a million clients
// costs one line per level, ten levels. Ties go to the lower index, which
// is the lower pid when the clients come from a CandidateSet.
class StrideQueue {
public:
	// With no passes given every client starts one stride in, as a client
	// that joins at global pass 0 does in the paper. Throws
	// std::invalid_argument for a client with 0 tickets or when the spans
	// differ in length, std::overflow_error for a pass beyond max_pass.
	explicit StrideQueue(std::span<const std::uint64_t> tickets,
			     std::span<const Pass> passes = {});

	// The client with the lowest pass; its pass advances by its stride.
	// Throws std::overflow_error if that pass would exceed max_pass.
	std::size_t draw();

	// The k clients with the lowest passes (fewer if there are fewer
	// clients). They leave the queue: this is for one round, and the
	// caller advances their passes.
	std::vector<std::size_t> draw_distinct(std::size_t k);

	std::size_t size() const { return size_; }

private:
	static constexpr std::size_t arity = 4;
	// Slots before the root, so that every group of siblings starts on a
	// cache line: node i lives in slot i + 3, its children in slots
	// 4(i + 1) to 4(i + 1) + 3.
	static constexpr std::size_t root_slot = 3;

	// Above every real key (passes stop at max_pass): fills the slots past
	// the last client.
	static constexpr Pass no_client = ~Pass{0};

	Pass &key(std::size_t node) { return keys_.get()[node + root_slot]; }
	std::size_t least_of_four(std::size_t first);
	void sift_down(std::size_t node);

	std::unique_ptr<Pass[], AlignedDelete> keys_;
	std::size_t size_ = 0;
	std::vector<std::uint64_t> strides_; // by client index
};

} // namespace lottery
