// SPDX-License-Identifier: MIT
// Rounds allocate the same large buffers every interval (a snapshot and a
// candidate set of ~1 MB each at 10 000 tasks). glibc serves such sizes with
// fresh mmap()s, or trims them off the heap when freed, so every round paid
// the kernel for zeroed pages again: a third of a round's CPU time at 10 000
// tasks (bench/round.sh). Called once at start by programs that run rounds.
#pragma once

#include <malloc.h>

namespace lottery {

inline void keep_round_memory()
{
	// Up to 64 MiB per allocation from the heap, and free memory kept
	// for the next round rather than returned at each free.
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	mallopt(M_TRIM_THRESHOLD, 128 << 20);
}

} // namespace lottery
