// SPDX-License-Identifier: MIT
#include <ostream>
#include <sys/stat.h>

#include <linux/types.h>

#include "lottery_chardev.h"
#include "sched_trace.h"
#include "snapshot_source.h"

namespace lottery {

std::unique_ptr<SnapshotSource> open_snapshot_source(BackendKind kind, const BackendOptions &options)
{
	std::string device = options.chardev_path.empty() ? LOTTERY_DEVICE_PATH : options.chardev_path;
	std::string pin_dir = options.bpf_pin_dir.empty() ? SCHED_TRACE_PIN_DIR : options.bpf_pin_dir;
	struct stat st;

	// The module is loaded on purpose, so its presence says what the user
	// wants; so does the mode lottery-tracer was loaded in.
	if (kind == BackendKind::Auto && stat(device.c_str(), &st) == 0)
		kind = BackendKind::Chardev;
	else if (kind == BackendKind::Auto)
		kind = stat((pin_dir + "/" SCHED_TRACE_SNAPSHOT_ITER).c_str(), &st) == 0 ? BackendKind::Iter
											  : BackendKind::Bpf;
	if (kind == BackendKind::Chardev)
		return open_chardev_source(device);
	if (kind == BackendKind::Iter)
		return open_iter_source(pin_dir);
	return open_bpf_source(pin_dir);
}

std::unique_ptr<SnapshotSource> open_source_or_explain(BackendKind kind, const BackendOptions &options,
						       std::ostream &err)
{
	try {
		return open_snapshot_source(kind, options);
	} catch (const BackendError &e) {
		err << "lottery: " << e.what() << '\n';
		return nullptr;
	}
}

} // namespace lottery
