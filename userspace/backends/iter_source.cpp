// SPDX-License-Identifier: MIT
// The iter backend: each round reads the task iterator that `lottery-tracer
// load --mode iter` pinned (bpf/sched_iter.bpf.c). Opening the pin starts a
// walk of the kernel's tasks; reading it to the end yields a snapshot in the
// layout of /dev/lottery, parsed by the same parser.
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

#include <linux/types.h>

#include "bpf_access.h"
#include "sched_trace.h"
#include "snapshot_reader.h"
#include "snapshot_source.h"
#include "unique_fd.h"

namespace lottery {

namespace {

constexpr const char *load_hint = "run 'sudo lottery-tracer load --mode iter'";
constexpr const char *abi_fix = "reload it with this version: 'sudo lottery-tracer load --mode iter'";

class IterSource : public SnapshotSource {
public:
	explicit IterSource(std::string path) : reader_(std::move(path), abi_fix) {}

	const char *name() const override { return "iter"; }

	// Each open of the pin is a new walk; the kernel hands it out at most
	// 8 pages (about 500 records) a read.
	Snapshot take_snapshot() override
	{
		UniqueFd fd(open(reader_.path().c_str(), O_RDONLY | O_CLOEXEC));
		if (!fd && errno == ENOENT)
			throw BackendError("the BPF iterator was unloaded while lottery was running (" +
					   reader_.path() + " is gone): " + load_hint);
		if (!fd)
			throw BackendError("cannot open " + reader_.path() + ": " + std::strerror(errno));
		return reader_.read([&fd](std::byte *buffer, std::size_t length, off_t) {
			return ::read(fd.get(), buffer, length);
		});
	}

private:
	SnapshotReader reader_;
};

} // namespace

std::unique_ptr<SnapshotSource> open_iter_source(const std::string &pin_dir_option)
{
	const std::string pin_dir = pin_dir_option.empty() ? SCHED_TRACE_PIN_DIR : pin_dir_option;
	const std::string path = pin_dir + "/" SCHED_TRACE_SNAPSHOT_ITER;

	require_pin_dir(pin_dir);
	if (access(path.c_str(), F_OK)) {
		if (access((pin_dir + "/" SCHED_TRACE_RUNNABLE_MAP).c_str(), F_OK) == 0)
			throw BackendError("the BPF tracer at " + pin_dir +
					   " is loaded in trace mode: use --backend bpf, or "
					   "'sudo lottery-tracer load --mode iter'");
		throw BackendError(std::string("the BPF iterator is not loaded: ") + load_hint);
	}
	if (access(path.c_str(), R_OK) && (errno == EACCES || errno == EPERM))
		throw BackendError("the iter backend needs root (" + path + " is root's)");
	return std::make_unique<IterSource>(path);
}

} // namespace lottery
