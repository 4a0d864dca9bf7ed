// SPDX-License-Identifier: MIT
// The BPF tracer as the tests load it: in a pin directory of their own under
// /sys/fs/bpf (never the shared sched_trace one, which others may be using),
// unloaded when the object goes. Pins left by a crashed run are swept first.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <linux/types.h>

#include "lottery_task.h"
#include "run_command.h"
#include "snapshot_source.h"

namespace lottery::testing {

// The lottery-tracer binary: $LOTTERY_TRACER, beside the test, or as built.
const std::string &tracer_path();

// lottery-tracer with args.
CommandResult run_tracer(const std::vector<std::string> &args);

// /sys/fs/bpf/lottery_test_<name>_<pid>: unique to this test process.
std::string test_pin_dir(const std::string &name);

// Unloads lottery_test_* pin directories whose process is gone.
void remove_stale_test_pins();

class ScopedTracer {
public:
	// Loads with `load --pin-dir <test_pin_dir(name)> extra_args...`, in
	// trace mode unless extra_args name a --mode (these tests read its
	// maps); load_result() says how that went (the test asserts on it).
	explicit ScopedTracer(const std::string &name, const std::vector<std::string> &extra_args = {});
	ScopedTracer(const ScopedTracer &) = delete;
	ScopedTracer &operator=(const ScopedTracer &) = delete;
	~ScopedTracer();

	const std::string &pin_dir() const { return pin_dir_; }
	const CommandResult &load_result() const { return load_result_; }
	bool loaded() const { return load_result_.exit_code == 0; }
	// lottery-tracer <command> --pin-dir <pin_dir> args...; a load without
	// --mode keeps the mode this tracer was loaded in.
	CommandResult run(const std::string &command, const std::vector<std::string> &args = {}) const;
	std::unique_ptr<SnapshotSource> open_source() const { return open_bpf_source(pin_dir_); }

	// Writes `record` into a fresh slot of the tracer's runnable map, in
	// `state` (SCHED_TRACE_SLOT_*), as the tracer would; returns the slot.
	// A record whose pid no live task has is never written by the tracer.
	__u32 inject(const struct lottery_task &record, __u32 state) const;
	// The state a slot is in now.
	__u32 slot_state(__u32 slot) const;

private:
	std::string pin_dir_;
	std::string mode_ = "trace";
	CommandResult load_result_;
};

} // namespace lottery::testing
