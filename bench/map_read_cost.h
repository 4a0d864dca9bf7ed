// SPDX-License-Identifier: MIT
// What reading the runnable tasks costs per record: the tracer's slots,
// copied from a memory mapping (what the bpf backend does), against a hash
// map keyed by pid as the seed's tracer kept them, read the two ways the
// kernel offers: bpf_map_lookup_batch and the old walk, one get_next_key and
// one lookup per entry (what bpftool does).
#pragma once

#include <cstddef>

#include "bpf_map_reader.h"

namespace lottery::bench {

struct MapReadCost {
	std::size_t entries = 0;	// records read from the slots in the last pass
	double slots_ns_per_entry = 0;
	double batch_ns_per_entry = 0;	// 0: this kernel refused batches
	double key_by_key_ns_per_entry = 0;
};

// `passes` whole reads each way, alternated so that all see the same noise.
MapReadCost measure_map_read_cost(const TraceMaps &maps, int seed_map_fd, int passes);

} // namespace lottery::bench
