// SPDX-License-Identifier: MIT
// Compensation tickets (Waldspurger and Weihl, 1994, section 3.4): a task
// that used only a fraction f of its quantum before blocking holds its
// tickets times 1/f until it next wins, so that a task that often blocks
// still receives its share of the CPU, not just its share of the wins.
#pragma once

#include <cstdint>

namespace lottery {

// 1/f is capped here: a task that blocked at once would otherwise hold
// unbounded tickets, and a million such tasks must still sum in 64 bits.
inline constexpr std::uint64_t max_compensation_factor = 1000;

// tickets * quantum_ns / used_ns, rounded to nearest, at most
// tickets * max_compensation_factor (saturating at 2^64 - 1). A task that
// used its whole quantum (or a zero quantum) keeps its tickets.
std::uint64_t compensated_tickets(std::uint64_t tickets, std::uint64_t used_ns,
				  std::uint64_t quantum_ns);

} // namespace lottery
