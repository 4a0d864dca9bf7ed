// SPDX-License-Identifier: MIT
// What reading the runnable map costs per entry, the two ways the kernel
// offers: bpf_map_lookup_batch (what the bpf backend uses) and the old walk,
// one get_next_key and one lookup per entry (what bpftool and the fallback
// for pre-5.6 kernels do).
#pragma once

#include <cstddef>

namespace lottery::bench {

struct MapReadCost {
	std::size_t entries = 0;	// read in the last pass
	double batch_ns_per_entry = 0;
	double key_by_key_ns_per_entry = 0;
	bool batched = true;	// false: this kernel refused batches
};

// `passes` whole reads each way, alternated so that both see the same noise.
MapReadCost measure_map_read_cost(int runnable_fd, unsigned capacity, int passes);

} // namespace lottery::bench
