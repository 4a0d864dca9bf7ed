// SPDX-License-Identifier: MIT
// The tracer's pinned maps (common/sched_trace.h), opened and checked through
// libbpf's syscall wrappers. Shared by the bpf backend and
// `lottery-tracer status`, which phrase the errors for their own users.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include <linux/types.h>

#include "sched_trace.h"
#include "unique_fd.h"

namespace lottery {

// A bpf() call on a named object failed; what() is "<object>: <strerror>".
class BpfObjectError : public std::system_error {
public:
	BpfObjectError(int error, std::string object)
		: std::system_error(error, std::generic_category(), object), object_(std::move(object))
	{
	}
	const std::string &object() const { return object_; }

private:
	std::string object_;
};

// bpf_obj_get(); throws BpfObjectError naming the path.
UniqueFd open_pinned_object(const std::string &path);

// Pinned maps whose layout this build does not speak; what() names the map
// and both layouts, e.g. "the pinned map X has ABI version 2, this lottery
// speaks 1".
class MapLayoutError : public std::runtime_error {
	using std::runtime_error::runtime_error;
};

struct TraceMaps {
	UniqueFd info;
	UniqueFd runnable;
	UniqueFd usage;
	UniqueFd misses;
	struct sched_trace_info header = {};
	__u32 capacity = 0;	// max_entries of the runnable map: slots
};

// Opens the maps pinned in pin_dir and checks the info header and every
// map's type, flags, key and value size before anyone reads a record. Throws
// BpfObjectError (a pin cannot be opened) or MapLayoutError.
TraceMaps open_trace_maps(const std::string &pin_dir);

// Tasks the tracer could not hold since it was loaded, summed over CPUs.
// Throws BpfObjectError.
std::uint64_t read_miss_count(int misses_fd);

// A memory mapping of a BPF map, unmapped when dropped.
class MapMapping {
public:
	MapMapping() = default;
	MapMapping(int fd, std::size_t bytes, bool writable, const std::string &what);
	MapMapping(MapMapping &&other) noexcept;
	MapMapping &operator=(MapMapping &&other) noexcept;
	~MapMapping();
	void *data() const { return data_; }

private:
	void *data_ = nullptr;
	std::size_t bytes_ = 0;
};

// The runnable map's slots and the usage map, mapped; throw BpfObjectError.
MapMapping map_slots(const TraceMaps &maps, bool writable);
MapMapping map_usage(const TraceMaps &maps, bool writable);

// Writes `record` into a fresh slot, in `state` (SCHED_TRACE_SLOT_*), taking
// it as the tracer takes one so that the two never share a slot; nullopt
// when no fresh slot is left. The benchmark's synthetic tasks and the tests'
// injected records go in this way.
std::optional<__u32> add_slot(const MapMapping &slots, const MapMapping &usage, __u32 capacity,
			      const struct lottery_task &record, __u32 state);

// Copies the runnable records out of the tracer's slots, from memory
// mappings of the runnable and usage maps (no bpf() call per round), into a
// buffer kept across calls.
class RunnableMapReader {
public:
	// Maps both; throws BpfObjectError.
	explicit RunnableMapReader(const TraceMaps &maps);

	// One pass over the used slots. The slot of each record is in slots()[i].
	std::span<const struct lottery_task> read();
	// What the last read() returned.
	std::span<const struct lottery_task> last_read() const { return {records_.data(), count_}; }
	std::span<const __u32> slots() const { return {slots_.data(), count_}; }
	// Records skipped in the last read() because they kept changing hands
	// under it (a task exiting and another taking its slot, three times).
	std::size_t torn() const { return torn_; }
	// Slots handed out so far, as the reader scans them.
	__u32 slots_used() const;

	// Marks the slot asleep if it still holds the record a read() returned
	// (same pid, not refreshed since): for a task found gone or sleeping.
	void mark_asleep(__u32 slot, const struct lottery_task &seen);

private:
	__u32 capacity_;
	MapMapping slots_map_, usage_map_;
	std::size_t count_ = 0, torn_ = 0;
	std::vector<__u32> slots_;
	std::vector<struct lottery_task> records_;
};

} // namespace lottery
