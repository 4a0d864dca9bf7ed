// SPDX-License-Identifier: MIT
#include "map_read_cost.h"

#include <cerrno>
#include <system_error>
#include <vector>

#include <bpf/bpf.h>

#include "bpf_map_reader.h"
#include "timing.h"

namespace lottery::bench {

namespace {

// The walk bpftool does: the next key, then its value. Returns the entries read.
std::size_t read_key_by_key(int fd, std::vector<struct lottery_task> &records)
{
	__u32 key = 0, next;
	std::size_t count = 0;

	for (bool first = true; count < records.size() &&
				!bpf_map_get_next_key(fd, first ? nullptr : &key, &next);
	     first = false) {
		key = next;
		if (bpf_map_lookup_elem(fd, &key, &records[count]) == 0)
			count++;
		else if (errno != ENOENT) // ENOENT: the task left between the two calls
			throw std::system_error(errno, std::generic_category(), "bpf_map_lookup_elem");
	}
	return count;
}

} // namespace

MapReadCost measure_map_read_cost(int runnable_fd, unsigned capacity, int passes)
{
	RunnableMapReader reader(runnable_fd, capacity);
	std::vector<struct lottery_task> records(capacity);
	std::uint64_t batch_ns = 0, key_ns = 0;
	std::size_t batch_entries = 0, key_entries = 0;
	MapReadCost cost;

	for (int pass = 0; pass < passes; pass++) {
		std::uint64_t start = now_ns();
		batch_entries += reader.read().size();
		std::uint64_t middle = now_ns();
		key_entries += read_key_by_key(runnable_fd, records);
		std::uint64_t end = now_ns();
		batch_ns += middle - start;
		key_ns += end - middle;
	}
	cost.entries = reader.keys().size();
	cost.batched = reader.batched();
	if (batch_entries)
		cost.batch_ns_per_entry = double(batch_ns) / double(batch_entries);
	if (key_entries)
		cost.key_by_key_ns_per_entry = double(key_ns) / double(key_entries);
	return cost;
}

} // namespace lottery::bench
