// SPDX-License-Identifier: MIT
// The tracer's pinned maps (common/sched_trace.h), opened and checked through
// libbpf's syscall wrappers. Shared by the bpf backend and
// `lottery-tracer status`, which phrase the errors for their own users.
#pragma once

#include <cstddef>
#include <cstdint>
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
	UniqueFd misses;
	struct sched_trace_info header = {};
	__u32 capacity = 0;	// max_entries of the runnable map
};

// Opens the three maps pinned in pin_dir and checks the info header and every
// map's type, key and value size before anyone reads a record. Throws
// BpfObjectError (a pin cannot be opened) or MapLayoutError.
TraceMaps open_trace_maps(const std::string &pin_dir);

// Inserts the tracer could not make since it was loaded, summed over CPUs.
// Throws BpfObjectError.
std::uint64_t read_miss_count(int misses_fd);

// Reads every record of the runnable map, into buffers kept across calls.
// Uses batched lookups; falls back to one key at a time on kernels that
// refuse batches on hash maps.
class RunnableMapReader {
public:
	RunnableMapReader(int runnable_fd, __u32 capacity);

	// One pass over the map. The key of each record is in keys()[i].
	// Throws BpfObjectError.
	std::span<const struct lottery_task> read();
	std::span<const __u32> keys() const { return {keys_.data(), count_}; }
	bool batched() const { return batched_; }

private:
	int read_batched();
	void read_key_by_key();

	int fd_;
	std::size_t count_ = 0;
	__u32 chunk_;
	bool batched_ = true;
	std::vector<__u32> keys_;
	std::vector<struct lottery_task> records_;
};

} // namespace lottery
