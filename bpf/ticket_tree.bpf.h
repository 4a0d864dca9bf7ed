/* SPDX-License-Identifier: (GPL-2.0-only OR MIT) */
/*
 * The lottery scheduler's queue: a Fenwick tree of the tickets of the tasks
 * queued in it, over a fixed array of slots, so that inserting, removing and
 * finding the holder of ticket r are log2(LOTTERY_SCX_SLOTS) steps whatever
 * the number of tasks. The caller holds t->lock around every function here
 * except the random ones: BPF allows no calls under a bpf_spin_lock, hence
 * the inline functions and loops.
 *
 * Plain C over u32/u64/s32 and struct bpf_spin_lock, which the includer
 * provides, so that tests/unit checks it on the host against a linear scan.
 */
#ifndef LOTTERY_TICKET_TREE_BPF_H
#define LOTTERY_TICKET_TREE_BPF_H

#include "lottery_scx.h"

#define SLOT_MASK (LOTTERY_SCX_SLOTS - 1)
#define RANDOM_TRIES 4

/* A Fenwick tree of the tickets of the tasks queued in it, and its slots. */
struct ticket_tree {
	struct bpf_spin_lock lock;
	u32 free_top;		/* free[0..free_top) are slots given back */
	u32 next_unused;	/* slots from here up were never used */
	u32 nr_queued;
	u32 scratch;		/* see fenwick_find() */
	u64 total;
	u64 generation;		/* bumped by every change: a draw's snapshot check */
	u64 sum[LOTTERY_SCX_SLOTS];	/* sum[i]: tickets of slots (i - lowbit(i), i] */
	u64 tickets[LOTTERY_SCX_SLOTS]; /* 0: the slot is free */
	s32 pid[LOTTERY_SCX_SLOTS];
	u32 free[LOTTERY_SCX_SLOTS];
};

/* Called with the tree locked: no calls allowed, hence inline loops. */
static __always_inline void fenwick_add(struct ticket_tree *t, u32 slot, u64 delta)
{
	for (int i = 0; i <= LOTTERY_SCX_SLOT_BITS; i++) {
		if (slot == 0 || slot >= LOTTERY_SCX_SLOTS)
			break;
		t->sum[slot & SLOT_MASK] += delta; /* delta may be -x: wraps exactly */
		slot += slot & -slot;
	}
}

/*
 * The slot whose ticket range holds r (r < t->total): prefix(slot - 1) <=
 * r < prefix(slot). pos only ever has bits above `bit` set, so pos | bit
 * stays below LOTTERY_SCX_SLOTS. Each step passes pos through the tree's
 * memory: the verifier then sees one unknown pos per step instead of
 * tracking 2^SLOT_BITS exact values, one per path.
 */
static __always_inline u32 fenwick_find(struct ticket_tree *t, u64 r)
{
	volatile u32 *forget = &t->scratch;
	u32 pos = 0;

	for (int bit = LOTTERY_SCX_SLOT_BITS - 1; bit >= 0; bit--) {
		u32 next = (pos | (1U << bit)) & SLOT_MASK;
		u64 below = t->sum[next];

		if (below <= r) {
			pos = next;
			r -= below;
		}
		*forget = pos;
		pos = *forget;
	}
	return (pos + 1) & SLOT_MASK;
}

/* Locked. Returns the slot, 0 when the tree is full. */
static __always_inline u32 tree_insert(struct ticket_tree *t, s32 pid, u64 tickets)
{
	u32 slot;

	if (t->free_top > 0 && t->free_top <= LOTTERY_SCX_SLOTS)
		slot = t->free[--t->free_top & SLOT_MASK];
	else if (t->next_unused < LOTTERY_SCX_SLOTS)
		slot = t->next_unused++ ?: t->next_unused++; /* slot 0 is never used */
	else
		return 0;
	slot &= SLOT_MASK;
	if (!slot)
		return 0;
	t->tickets[slot] = tickets;
	t->pid[slot] = pid;
	t->nr_queued++;
	t->total += tickets;
	t->generation++;
	fenwick_add(t, slot, tickets);
	return slot;
}

/* Locked. Removes slot if pid still holds it: a task dispatched by another
 * CPU meanwhile gave its slot back, and the slot may be someone else's now. */
static __always_inline s32 tree_remove(struct ticket_tree *t, u32 slot, s32 pid)
{
	u64 tickets;

	slot &= SLOT_MASK;
	tickets = t->tickets[slot];
	if (!slot || !tickets || (pid && t->pid[slot] != pid))
		return 0;
	pid = t->pid[slot];
	t->tickets[slot] = 0;
	t->nr_queued--;
	t->total -= tickets;
	t->generation++;
	fenwick_add(t, slot, -tickets);
	if (t->free_top < LOTTERY_SCX_SLOTS)
		t->free[t->free_top++ & SLOT_MASK] = slot;
	return pid;
}

static __always_inline u64 random_u64(void)
{
	return ((u64)bpf_get_prandom_u32() << 32) | bpf_get_prandom_u32();
}

/*
 * Uniform in [0, bound) with no modulo bias: values below 2^64 mod bound
 * are rejected, so that the accepted range is a whole number of copies of
 * [0, bound). A rejection has probability below bound / 2^64 (under 2^-18
 * even for 16383 tasks of 2^32 tickets); after RANDOM_TRIES of them the last
 * value is used, a bias too rare to observe.
 */
static __always_inline u64 uniform_below(u64 bound)
{
	u64 reject_below = -bound % bound;
	u64 x = 0;

	for (int i = 0; i < RANDOM_TRIES; i++) {
		x = random_u64();
		if (x >= reject_below)
			break;
	}
	return x % bound;
}

#endif /* LOTTERY_TICKET_TREE_BPF_H */
