// SPDX-License-Identifier: MIT
// Fake runnable tasks in the tracer's `runnable` map, so that a round can be
// timed at 10 000 entries on a machine that never has that many runnable.
// Their pids lie above pid_max, where no real task can collide with them, so
// the tracer never updates or deletes them; the real tasks it tracks stay.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <linux/types.h>

namespace lottery::bench {

class SyntheticTasks {
public:
	explicit SyntheticTasks(int runnable_fd);
	~SyntheticTasks(); // removes what this object inserted, unless kept
	SyntheticTasks(const SyntheticTasks &) = delete;
	SyntheticTasks &operator=(const SyntheticTasks &) = delete;

	// Inserts synthetic tasks until the map holds about `entries` records
	// (the real tasks come and go meanwhile). Entries a previous, kept run
	// left are reused. Throws std::system_error when the map refuses one,
	// e.g. E2BIG when it is full.
	void fill_to(std::size_t entries, std::size_t present);

	// Leaves the inserted tasks in the map at destruction, for a next
	// program (the Python baseline) to read the same map.
	void keep() { keep_ = true; }

	void remove();

private:
	int fd_;
	__u32 first_pid_;
	__u32 next_pid_;
	bool keep_ = false;
	std::vector<__u32> inserted_;
};

} // namespace lottery::bench
