// SPDX-License-Identifier: MIT
// Fake runnable tasks in the tracer's slots, so that a round can be timed at
// 10 000 records on a machine that never has that many runnable, and the same
// records in a hash map keyed by pid, the shape of the seed's tracer map, for
// the seed's bpftool-and-Python round to read. Their pids lie above pid_max,
// where no real task can collide with them; their slots are past the ones the
// tracer had handed out, so the tracer never writes them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <linux/types.h>

#include "bpf_map_reader.h"

namespace lottery::bench {

class SyntheticTasks {
public:
	explicit SyntheticTasks(const TraceMaps &maps);
	~SyntheticTasks(); // frees the slots this object filled, unless kept
	SyntheticTasks(const SyntheticTasks &) = delete;
	SyntheticTasks &operator=(const SyntheticTasks &) = delete;

	// Fills slots with synthetic runnable tasks until `entries` records
	// are runnable (`present` are already). Throws std::system_error
	// (ENOSPC when the slots run out).
	void fill_to(std::size_t entries, std::size_t present);

	// Pins at `path` a hash map pid -> struct lottery_task holding the
	// runnable records now (the real ones and the synthetic ones), as the
	// seed's tracer kept them. Throws std::system_error.
	void pin_seed_map(const std::string &path, const std::vector<struct lottery_task> &runnable);
	int seed_map_fd() const { return seed_fd_; }

	// Leaves the synthetic tasks in their slots at destruction, for a next
	// program to read the same records.
	void keep() { keep_ = true; }

	void remove();

private:
	__u32 capacity_;
	MapMapping slots_, usage_;
	__u32 next_pid_;
	bool keep_ = false;
	int seed_fd_ = -1;
	std::vector<__u32> filled_;
};

} // namespace lottery::bench
