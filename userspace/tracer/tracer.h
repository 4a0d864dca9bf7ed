// SPDX-License-Identifier: MIT
// lottery-tracer: loads the kernel side of the bpf backends in one of two
// modes, pins it so that it outlives the loader, and reports on what is
// pinned. trace: bpf/sched_trace.bpf.c, maps kept by tracepoints; iter:
// bpf/sched_iter.bpf.c, a task iterator read at each round.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <linux/types.h>

#include "sched_trace.h"
#include "unique_fd.h"

namespace lottery::tracer {

// Exit codes; `status` follows the LSB convention of 3 for "not running".
enum ExitCode { exit_ok = 0, exit_failure = 1, exit_usage = 2, exit_not_loaded = 3 };

enum class Mode { Trace, Iter };

const char *mode_name(Mode mode);

struct Options {
	// Iter unless --capacity (a trace-mode setting) says trace: README,
	// "Performance", has the measurements that chose it.
	Mode mode = Mode::Iter;
	bool mode_given = false;
	std::string pin_dir = SCHED_TRACE_PIN_DIR;
	__u32 capacity = SCHED_TRACE_DEFAULT_CAPACITY;
	bool capacity_given = false;
	bool verbose = false;
	bool json = false;
};

// Printed as "lottery-tracer: <what>[: <strerror>]" and exit 1.
class TracerError : public std::runtime_error {
public:
	explicit TracerError(const std::string &what) : std::runtime_error(what) {}
	TracerError(const std::string &what, int error);
};

int load(const Options &options);
int unload(const Options &options);
int status(const Options &options);

// --- pin_dir.cpp: the directory under bpffs that holds everything we pin.

// Where the links are pinned, one per traced program, named after it.
std::string link_dir(const std::string &pin_dir);

void require_root(const char *action);

// Whether the pin directory's parent is a mounted bpffs.
bool bpffs_mounted_for(const std::string &pin_dir);

// Mounts bpffs at /sys/fs/bpf when the pin directory's parent is that and it
// is not mounted yet; refuses any other parent that is not a bpffs.
void ensure_bpffs(const std::string &pin_dir);

// Removes a pin directory and everything in it; a missing one is fine.
void remove_pin_tree(const std::string &path);

// Where a load pins things before it renames them into place: readers never
// see a half-made directory, and a crashed load leaves only this behind.
std::string staging_dir(const std::string &pin_dir);
// Staging directories that crashed loads of pin_dir left behind.
std::vector<std::string> stale_staging_dirs(const std::string &pin_dir);

// Serialises loaders and unloaders of pin directories under the same parent.
class PinDirLock {
public:
	explicit PinDirLock(const std::string &pin_dir);
	PinDirLock(const PinDirLock &) = delete;
	PinDirLock &operator=(const PinDirLock &) = delete;

private:
	UniqueFd fd_; // closing it drops the lock
};

// --- inspect.cpp: what is pinned, and whether it works.

struct LinkState {
	std::string name;	// the pin's name: the program it attaches
	__u32 link_id = 0;
	__u32 prog_id = 0;
	std::string prog_name;
	__u64 run_count = 0;	// with kernel.bpf_stats_enabled=1
	__u64 run_time_ns = 0;
};

struct TracerState {
	bool present = false;	// the pin directory exists
	Mode mode = Mode::Trace;	// iter when the iterator is pinned
	std::string problem;	// why it cannot be used; empty when healthy
	__u32 abi_version = 0;
	__u32 capacity = 0;	// trace mode only
	std::uint64_t entries = 0;	// runnable tasks: in a snapshot taken now (iter), in the slots (trace)
	__u32 slots_used = 0;	// trace mode: slots handed out, the peak of threads held at once
	bool follows_uid_changes = false;	// trace mode: commit_creds attached (else uid read at each switch)
	std::uint64_t misses = 0;
	std::vector<LinkState> links;
};

// The tracepoint (and fentry) programs of this build: one pinned link each.
std::vector<std::string> traced_programs();
// The one a kernel without fentry cannot attach: the tracer then reads the
// uid at each context switch instead.
inline constexpr const char *uid_follower = "commit_creds";

// PID_MAX_LIMIT on 64-bit, the most pid_max can be: more threads could never
// exist, and the slot index never needs more entries.
inline constexpr unsigned long pid_max_limit = 4UL << 20;

TracerState inspect(const std::string &pin_dir);

} // namespace lottery::tracer
