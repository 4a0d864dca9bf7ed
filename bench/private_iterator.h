// SPDX-License-Identifier: MIT
// A task iterator of the benchmark's own (bpf/sched_iter.bpf.c), pinned in a
// directory of its own as `lottery-tracer load --mode iter` pins it, so that
// the iter backend reads it unchanged; with every_task, each task is a
// record (see the program). Its program's run time comes from the kernel's
// BPF statistics, once enable_stats() turned them on (they add two clock
// reads to every run of every BPF program, so not while rounds are timed).
#pragma once

#include <cstdint>
#include <string>

struct sched_iter_bpf;

namespace lottery::bench {

struct ProgramRunTime {
	std::uint64_t run_time_ns = 0;
	std::uint64_t run_count = 0;
};

class PrivateIterator {
public:
	// Throws std::system_error; `pin_dir` must not exist yet.
	PrivateIterator(std::string pin_dir, bool every_task);
	~PrivateIterator(); // unpins and removes the directory
	PrivateIterator(const PrivateIterator &) = delete;
	PrivateIterator &operator=(const PrivateIterator &) = delete;

	const std::string &pin_dir() const { return pin_dir_; }
	std::string pin_path() const;
	// On until this object goes.
	void enable_stats();
	ProgramRunTime run_time() const;

private:
	std::string pin_dir_;
	sched_iter_bpf *skel_ = nullptr;
	int stats_fd_ = -1;
};

} // namespace lottery::bench
