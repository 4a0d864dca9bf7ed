// SPDX-License-Identifier: MIT
#include "stride.h"

#include <limits>
#include <stdexcept>

namespace lottery {

StrideQueue::StrideQueue(std::span<const std::uint64_t> tickets, std::span<const Pass> passes)
{
	if (!passes.empty() && passes.size() != tickets.size())
		throw std::invalid_argument("stride queue: as many passes as clients are needed");
	if (tickets.size() > std::numeric_limits<std::uint32_t>::max())
		throw std::length_error("more than 2^32 clients in a stride queue");
	const std::size_t n = tickets.size();
	strides_.resize(n);
	passes_.resize(n);
	heap_.resize(n);
	for (std::size_t i = 0; i < n; ++i) {
		if (tickets[i] == 0)
			throw std::invalid_argument("stride queue: a client holds no tickets");
		strides_[i] = stride_of(tickets[i]);
		passes_[i] = passes.empty() ? strides_[i] : passes[i];
		heap_[i] = static_cast<std::uint32_t>(i);
	}
	for (std::size_t slot = n / 2; slot-- > 0;)
		sift_down(slot);
}

void StrideQueue::sift_down(std::size_t slot)
{
	const std::size_t n = heap_.size();
	const std::uint32_t moving = heap_[slot];
	for (;;) {
		std::size_t child = 2 * slot + 1;
		if (child >= n)
			break;
		if (child + 1 < n && before(heap_[child + 1], heap_[child]))
			++child;
		if (!before(heap_[child], moving))
			break;
		heap_[slot] = heap_[child];
		slot = child;
	}
	heap_[slot] = moving;
}

void StrideQueue::pop()
{
	heap_.front() = heap_.back();
	heap_.pop_back();
	if (!heap_.empty())
		sift_down(0);
}

std::size_t StrideQueue::draw()
{
	if (heap_.empty())
		throw std::logic_error("stride queue: draw from an empty queue");
	const std::uint32_t winner = heap_.front();
	passes_[winner] += strides_[winner];
	sift_down(0);
	return winner;
}

std::vector<std::size_t> StrideQueue::draw_distinct(std::size_t k)
{
	std::vector<std::size_t> winners;
	while (winners.size() < k && !heap_.empty()) {
		const std::uint32_t winner = heap_.front();
		passes_[winner] += strides_[winner];
		winners.push_back(winner);
		pop();
	}
	return winners;
}

} // namespace lottery
