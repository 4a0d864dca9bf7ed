// SPDX-License-Identifier: MIT
#include "map_read_cost.h"

#include <algorithm>
#include <cerrno>
#include <system_error>
#include <vector>

#include <bpf/bpf.h>

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

// Batched lookups of 4096 entries. Returns the entries read, or 0 if this
// kernel refuses batches on hash maps (before 5.6).
std::size_t read_batched(int fd, std::vector<__u32> &keys, std::vector<struct lottery_task> &records)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	__u32 position = 0, next = 0;
	std::size_t count = 0;

	for (bool first = true; count < records.size(); first = false) {
		__u32 chunk = std::min<std::size_t>(4096, records.size() - count);
		int rc = bpf_map_lookup_batch(fd, first ? nullptr : &position, &next, &keys[count],
					      &records[count], &chunk, &opts);
		count += chunk;
		if (rc && errno == ENOENT)	// that was the last bucket
			break;
		if (rc)
			return 0;
		position = next;
	}
	return count;
}

} // namespace

MapReadCost measure_map_read_cost(const TraceMaps &maps, int seed_map_fd, int passes)
{
	RunnableMapReader reader(maps);
	std::vector<struct lottery_task> records(maps.capacity);
	std::vector<__u32> keys(maps.capacity);
	std::uint64_t slots_ns = 0, batch_ns = 0, key_ns = 0;
	std::size_t slots_entries = 0, batch_entries = 0, key_entries = 0;
	MapReadCost cost;

	for (int pass = 0; pass < passes; pass++) {
		std::uint64_t start = now_ns();
		cost.entries = reader.read().size();
		std::uint64_t slots_end = now_ns();
		std::size_t batched = read_batched(seed_map_fd, keys, records);
		std::uint64_t batch_end = now_ns();
		key_entries += read_key_by_key(seed_map_fd, records);
		std::uint64_t end = now_ns();
		slots_entries += cost.entries;
		slots_ns += slots_end - start;
		if (batched) {
			batch_entries += batched;
			batch_ns += batch_end - slots_end;
		}
		key_ns += end - batch_end;
	}
	if (slots_entries)
		cost.slots_ns_per_entry = double(slots_ns) / double(slots_entries);
	if (batch_entries)
		cost.batch_ns_per_entry = double(batch_ns) / double(batch_entries);
	if (key_entries)
		cost.key_by_key_ns_per_entry = double(key_ns) / double(key_entries);
	return cost;
}

} // namespace lottery::bench
