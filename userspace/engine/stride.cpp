// SPDX-License-Identifier: MIT
#include "stride.h"

#include <limits>
#include <stdexcept>

namespace lottery {

namespace {

constexpr Pass client_mask = 0xffffffffu;

// 2^17 keys are 2 MiB, a typical L2.
constexpr std::size_t prefetch_above = std::size_t{1} << 17;

Pass make_key(Pass pass, std::size_t client)
{
	if (pass > max_pass)
		throw std::overflow_error("stride queue: a pass beyond 2^96");
	return pass << 32 | client;
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
	keys_.reset(
		static_cast<Pass *>(::operator new[](slots * sizeof(Pass), std::align_val_t{64})));
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

void StrideQueue::sift_down(std::size_t node)
{
	if (node >= size_)
		return;
	const Pass moving = key(node);
	for (;;) {
		const std::size_t first = arity * node + 1;
		if (first >= size_)
			break;
		std::size_t least = first;
		const std::size_t end = first + arity < size_ ? first + arity : size_;
		// Beyond what the caches hold, fetch the grandchildren's lines
		// while comparing the children: the walk down then waits for
		// memory about once, not once a level.
		if (size_ > prefetch_above)
			for (std::size_t child = first; child < end && arity * child + 1 < size_;
			     ++child)
				__builtin_prefetch(&key(arity * child + 1));
		for (std::size_t child = first + 1; child < end; ++child)
			if (key(child) < key(least))
				least = child;
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
	return winner;
}

std::vector<std::size_t> StrideQueue::draw_distinct(std::size_t k)
{
	std::vector<std::size_t> winners;
	while (winners.size() < k && size_ > 0) {
		winners.push_back(static_cast<std::size_t>(key(0) & client_mask));
		key(0) = key(--size_);
		sift_down(0);
	}
	return winners;
}

} // namespace lottery
