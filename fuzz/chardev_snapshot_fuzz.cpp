// SPDX-License-Identifier: MIT
// Snapshots (/dev/lottery, the BPF iterator): whatever the bytes, parse_snapshot()
// returns a snapshot that agrees with its header or throws BackendError
// with one line; nothing else escapes.
#include <cstdint>
#include <cstring>

#include "snapshot_parser.h"
#include "fuzz_checks.h"
#include "lottery_chardev.h"

using namespace lottery;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
	std::span<const std::byte> bytes(reinterpret_cast<const std::byte *>(data), size);
	Snapshot snapshot;
	try {
		snapshot = parse_snapshot(bytes, "FIX");
	} catch (const BackendError &error) {
		fuzz::check_one_line(error.what());
		return 0;
	}

	struct lottery_snapshot_header header;
	fuzz::check(size >= sizeof(header), "accepted a snapshot shorter than its header");
	std::memcpy(&header, data, sizeof(header));
	if (header.flags & LOTTERY_SNAPSHOT_UNCOUNTED) {
		fuzz::check(header.record_count == 0 && header.runnable_count == 0,
			    "accepted an uncounted snapshot with counts");
		header.record_count = header.runnable_count =
			(size - sizeof(header)) / sizeof(struct lottery_task);
	}
	fuzz::check(size == sizeof(header) + std::size_t{header.record_count} * sizeof(struct lottery_task),
		    "accepted a size that is not header + records");
	fuzz::check(snapshot.tasks.size() == header.record_count, "record count differs from the header");
	fuzz::check(snapshot.lost_tasks == header.runnable_count - header.record_count,
		    "lost tasks differ from runnable - records");
	for (const RunnableTask &task : snapshot.tasks) {
		fuzz::check(task.pid > 0 && task.tgid > 0, "accepted a pid or tgid of 0");
		fuzz::check(task.nice >= -20 && task.nice <= 19, "accepted a nice out of range");
		fuzz::check(task.comm.size() <= LOTTERY_COMM_LEN &&
				    task.comm.find('\0') == std::string::npos,
			    "comm longer than its field or with a NUL inside");
	}
	return 0;
}
