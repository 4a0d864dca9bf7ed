// SPDX-License-Identifier: MIT
// A kernel-side source of runnable tasks. Each backend is one small class
// behind this interface; the engine never sees which one it is fed by.
#pragma once

#include <iosfwd>
#include <memory>
#include <stdexcept>
#include <string>

#include "snapshot.h"

namespace lottery {

// A failure the user can act on; what() is one line that says what failed
// and, where there is one, the command that fixes it, without the
// "lottery: " prefix (the caller prints that).
class BackendError : public std::runtime_error {
	using std::runtime_error::runtime_error;
};

class SnapshotSource {
public:
	virtual ~SnapshotSource() = default;
	virtual const char *name() const = 0;	// "bpf", "iter" or "chardev"
	virtual Snapshot take_snapshot() = 0;	// throws BackendError

	// Asked of a winner before it is announced. A tracer sees a task leave
	// the runqueue only through the sched_switch tracepoint; a kernel that
	// does not emit it for some task (seen on a Firecracker 6.18 host, for
	// its agent's threads) leaves a record behind. A source that can be
	// stale checks the task's live state, forgets the record if it is, and
	// says false; the caller then draws again without it.
	virtual bool still_runnable(const RunnableTask &) { return true; }
};

enum class BackendKind { Auto, Bpf, Iter, Chardev };

struct BackendOptions {
	std::string bpf_pin_dir;    // bpf and iter; empty: SCHED_TRACE_PIN_DIR
	std::string chardev_path;   // empty: LOTTERY_DEVICE_PATH
};

// Auto picks chardev when its device exists, else what lottery-tracer loaded
// in the pin directory: iter or bpf (trace mode). Throws BackendError.
std::unique_ptr<SnapshotSource> open_snapshot_source(BackendKind kind, const BackendOptions &options);

// The same, or null after saying on err, in one line ("lottery: ..."), why
// it could not be opened: every loop that reads a source starts with it.
std::unique_ptr<SnapshotSource> open_source_or_explain(BackendKind kind, const BackendOptions &options,
						       std::ostream &err);

std::unique_ptr<SnapshotSource> open_bpf_source(const std::string &pin_dir);
std::unique_ptr<SnapshotSource> open_iter_source(const std::string &pin_dir);
std::unique_ptr<SnapshotSource> open_chardev_source(const std::string &device_path);

} // namespace lottery
