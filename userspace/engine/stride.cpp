// SPDX-License-Identifier: MIT
#include "stride.h"

#include <limits>
#include <stdexcept>

#include <sys/mman.h>

namespace lottery {

namespace {

constexpr Pass client_mask = 0xffffffffu;

// 2^17 keys are 2 MiB, a typical L2.
constexpr std::size_t prefetch_above = std::size_t{1} << 17;

// The first 2^14 keys (256 KiB) are walked by every draw and stay cached:
// prefetching them too kept the line fill buffers busy with hits while
// the deep levels' misses waited for one (a draw at 10^6 went from
// 162-171 ns to 140-154 ns without them).
constexpr std::size_t always_cached = std::size_t{1} << 14;

Pass make_key(Pass pass, std::size_t client)
{
	if (pass > max_pass)
		throw std::overflow_error("stride queue: a pass beyond 2^96");
	return pass << 32 | client;
}

// Past 2 MiB, keys on huge pages: a draw at a million clients walks ten
// levels of 16 MB, and with 4 KiB pages each of the deep ones also missed
// the TLB.
constexpr std::size_t huge_page = std::size_t{2} << 20;

std::align_val_t keys_alignment(std::size_t slots)
{
	return std::align_val_t{slots * sizeof(Pass) < huge_page ? 64 : huge_page};
}

Pass *allocate_keys(std::size_t slots)
{
	std::size_t bytes = slots * sizeof(Pass);
	const std::align_val_t alignment = keys_alignment(slots);
	if (alignment != std::align_val_t{huge_page})
		return static_cast<Pass *>(::operator new[](bytes, alignment));
	bytes = (bytes + huge_page - 1) / huge_page * huge_page;
	auto *keys = static_cast<Pass *>(::operator new[](bytes, alignment));
	madvise(keys, bytes, MADV_HUGEPAGE); // a hint: without it, 4 KiB pages
	return keys;
}

} // namespace

StrideQueue::StrideQueue(std::span<const std::uint64_t> tickets, std::span<const Pass> passes)
{
	if (!passes.empty() && passes.size() != tickets.size())
		throw std::invalid_argument("stride queue: as many passes as clients are needed");
	if (tickets.size() > std::numeric_limits<std::uint32_t>::max())
		throw std::length_error("more than 2^32 clients in a stride queue");
	size_ = tickets.size();
	const std::size_t slots = size_ + root_slot + arity; // room for a last partial group
	keys_ = decltype(keys_)(allocate_keys(slots), AlignedDelete{keys_alignment(slots)});
	for (std::size_t slot = size_ + root_slot; slot < slots; ++slot)
		keys_.get()[slot] = no_client;
	strides_.resize(size_);
	for (std::size_t i = 0; i < size_; ++i) {
		if (tickets[i] == 0)
			throw std::invalid_argument("stride queue: a client holds no tickets");
		strides_[i] = stride_of(tickets[i]);
		key(i) = make_key(passes.empty() ? Pass{strides_[i]} : passes[i], i);
	}
	for (std::size_t node = size_ / arity + 1; node-- > 0;)
		sift_down(node);
}

// The least of the four siblings from `first` on, without a branch: which
// child is least is a coin toss the branch predictor loses half the time,
// and those misses, not memory, were most of a draw's cost. Slots past the
// last client hold no_client, so a partial group needs no bounds check.
inline __attribute__((always_inline)) std::size_t StrideQueue::least_of_four(std::size_t first)
{
	const Pass *group = &key(first);
	const std::size_t low = first + (group[1] < group[0]);
	const std::size_t high = first + 2 + (group[3] < group[2]);
	// A mask, not ?:, which the compiler turns back into a branch.
	const std::size_t high_wins = -static_cast<std::size_t>(key(high) < key(low));
	return low ^ ((low ^ high) & high_wins);
}

void StrideQueue::sift_down(std::size_t node)
{
	if (node >= size_)
		return;
	const Pass moving = key(node);
	for (;;) {
		const std::size_t first = arity * node + 1;
		if (first >= size_)
			break;
		// Beyond what the caches hold, fetch the lines two levels down
		// (16 groups) while comparing the children: a line fetched only
		// one level ahead had not arrived when the walk got there.
		if (size_ > prefetch_above) {
			const std::size_t grandchildren = arity * first + 1;
			const std::size_t great = arity * grandchildren + 1;
			if (great < size_ && great > always_cached)
				for (std::size_t g = 0; g < arity * arity; ++g)
					__builtin_prefetch(&key(great + arity * g));
		}
		const std::size_t least = least_of_four(first);
		if (!(key(least) < moving))
			break;
		key(node) = key(least);
		node = least;
	}
	key(node) = moving;
}

std::size_t StrideQueue::draw()
{
	if (size_ == 0)
		throw std::logic_error("stride queue: draw from an empty queue");
	const auto winner = static_cast<std::size_t>(key(0) & client_mask);
	key(0) = make_key((key(0) >> 32) + strides_[winner], winner);
	sift_down(0);
	// The next winner's stride is a random read of an 8 MB array at a
	// million clients: start it now rather than at the next draw.
	__builtin_prefetch(&strides_[static_cast<std::size_t>(key(0) & client_mask)]);
	return winner;
}

std::vector<std::size_t> StrideQueue::draw_distinct(std::size_t k)
{
	std::vector<std::size_t> winners;
	while (winners.size() < k && size_ > 0) {
		winners.push_back(static_cast<std::size_t>(key(0) & client_mask));
		key(0) = key(--size_);
		key(size_) = no_client;
		sift_down(0);
	}
	return winners;
}

} // namespace lottery
