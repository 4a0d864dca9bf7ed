// SPDX-License-Identifier: MIT
#include "compensation.h"

#include <algorithm>
#include <limits>

namespace lottery {

std::uint64_t compensated_tickets(std::uint64_t tickets, std::uint64_t used_ns,
				  std::uint64_t quantum_ns)
{
	if (quantum_ns == 0 || used_ns >= quantum_ns)
		return tickets;
	using Wide = unsigned __int128;
	const Wide cap = Wide{tickets} * max_compensation_factor;
	Wide inflated = cap;
	if (used_ns > 0)
		inflated = std::min(cap, (Wide{tickets} * quantum_ns + used_ns / 2) / used_ns);
	const Wide most = std::numeric_limits<std::uint64_t>::max();
	return static_cast<std::uint64_t>(std::min(inflated, most));
}

} // namespace lottery
