// SPDX-License-Identifier: MIT
// The sched_ext scheduler's queue (bpf/ticket_tree.bpf.h) on the host: the
// Fenwick tree must give ticket r to exactly the task a linear scan of the
// slots gives it to, so that each task wins with probability tickets/total;
// and the random numbers must be rejected exactly below 2^64 mod bound.
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <random>

#include <gtest/gtest.h>
#include <linux/types.h>

namespace {

using u32 = __u32;
using u64 = __u64;
using s32 = __s32;
struct bpf_spin_lock {
	u32 val;
};

// bpf_get_prandom_u32, scripted: the tests choose the values the draw sees.
std::deque<u32> scripted_random;
u32 bpf_get_prandom_u32()
{
	u32 value = scripted_random.empty() ? 0 : scripted_random.front();
	if (!scripted_random.empty())
		scripted_random.pop_front();
	return value;
}

#undef __always_inline
#define __always_inline inline
#include "ticket_tree.bpf.h"

// Slot of ticket r by walking the slots in order: the definition.
u32 scan(const ticket_tree &t, u64 r)
{
	for (u32 slot = 1; slot < LOTTERY_SCX_SLOTS; ++slot) {
		if (r < t.tickets[slot])
			return slot;
		r -= t.tickets[slot];
	}
	return 0;
}

std::unique_ptr<ticket_tree> empty_tree()
{
	auto t = std::make_unique<ticket_tree>();
	*t = {};
	return t;
}

TEST(TicketTree, EveryTicketBelongsToItsHolder)
{
	auto t = empty_tree();
	const u32 a = tree_insert(t.get(), 100, 3), b = tree_insert(t.get(), 101, 1),
		  c = tree_insert(t.get(), 102, 2);
	ASSERT_EQ(t->total, 6u);
	std::map<u32, int> won;
	for (u64 r = 0; r < t->total; ++r)
		++won[fenwick_find(t.get(), r)];
	EXPECT_EQ(won[a], 3);
	EXPECT_EQ(won[b], 1);
	EXPECT_EQ(won[c], 2);
	EXPECT_EQ(won.size(), 3u);
}

TEST(TicketTree, MatchesALinearScanThroughChurn)
{
	auto t = empty_tree();
	std::mt19937_64 rng(42);
	std::map<u32, s32> queued; // slot -> pid
	s32 next_pid = 1;
	for (int step = 0; step < 20000; ++step) {
		if (queued.empty() || rng() % 3 != 0) {
			const u64 tickets = 1 + rng() % (step % 7 == 0 ? (1ULL << 32) : 100000);
			const u32 slot = tree_insert(t.get(), next_pid, tickets);
			ASSERT_NE(slot, 0u);
			ASSERT_EQ(queued.count(slot), 0u);
			queued[slot] = next_pid++;
		} else {
			auto it = std::next(queued.begin(), rng() % queued.size());
			ASSERT_EQ(tree_remove(t.get(), it->first, it->second), it->second);
			queued.erase(it);
		}
		ASSERT_EQ(t->nr_queued, queued.size());
		if (t->total == 0)
			continue;
		for (u64 r : {u64{0}, t->total - 1, rng() % t->total, rng() % t->total})
			ASSERT_EQ(fenwick_find(t.get(), r), scan(*t, r)) << "step " << step << " r " << r;
	}
}

TEST(TicketTree, RemovingASlotSomeoneElseHoldsChangesNothing)
{
	auto t = empty_tree();
	const u32 slot = tree_insert(t.get(), 100, 5);
	EXPECT_EQ(tree_remove(t.get(), slot, 999), 0);
	EXPECT_EQ(t->total, 5u);
	EXPECT_EQ(tree_remove(t.get(), slot, 100), 100);
	EXPECT_EQ(tree_remove(t.get(), slot, 100), 0); // twice: no double count
	EXPECT_EQ(t->total, 0u);
	EXPECT_EQ(t->nr_queued, 0u);
}

TEST(TicketTree, FullTreeRefusesAndReusesFreedSlots)
{
	auto t = empty_tree();
	for (u32 i = 1; i < LOTTERY_SCX_SLOTS; ++i)
		ASSERT_EQ(tree_insert(t.get(), static_cast<s32>(i), 1), i);
	EXPECT_EQ(tree_insert(t.get(), 1 << 20, 1), 0u);
	EXPECT_EQ(tree_remove(t.get(), 77, 77), 77);
	EXPECT_EQ(tree_insert(t.get(), 1 << 20, 9), 77u);
	EXPECT_EQ(t->total, LOTTERY_SCX_SLOTS - 2 + 9);
	EXPECT_EQ(fenwick_find(t.get(), 76), 77u); // ticket 76..84 are slot 77's nine
	EXPECT_EQ(fenwick_find(t.get(), 84), 77u);
	EXPECT_EQ(fenwick_find(t.get(), 85), 78u);
}

void script_u64(u64 value)
{
	scripted_random.push_back(static_cast<u32>(value >> 32));
	scripted_random.push_back(static_cast<u32>(value));
}

TEST(UniformBelow, RejectsExactlyTheValuesBelowTwoToThe64ModBound)
{
	// 2^64 mod (2^63 + 1) = 2^63 - 1: values below it would favour small results.
	const u64 bound = (1ULL << 63) + 1, threshold = (1ULL << 63) - 1;
	scripted_random.clear();
	script_u64(threshold - 1);
	script_u64(threshold);
	EXPECT_EQ(uniform_below(bound), threshold % bound);
	EXPECT_TRUE(scripted_random.empty());

	// A power of two divides 2^64: nothing is rejected.
	script_u64(5);
	EXPECT_EQ(uniform_below(4), 1u);
	EXPECT_TRUE(scripted_random.empty());
}

} // namespace
