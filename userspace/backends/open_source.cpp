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

	if (kind == BackendKind::Auto)
		// The module is loaded on purpose, so its presence says what the user wants.
		kind = stat(device.c_str(), &st) == 0 ? BackendKind::Chardev : BackendKind::Bpf;
	if (kind == BackendKind::Chardev)
		return open_chardev_source(device);
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
