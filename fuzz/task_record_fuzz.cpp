// SPDX-License-Identifier: MIT
// One record as the BPF map or the device hands it over, of any length:
// decode_task_record() accepts only a whole record with possible values,
// and says why in one line otherwise.
#include <cstdint>
#include <cstring>

#include "fuzz_checks.h"
#include "record_decode.h"

using namespace lottery;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
	std::span<const std::byte> bytes(reinterpret_cast<const std::byte *>(data), size);
	DecodeResult decoded = decode_task_record(bytes);
	if (!decoded.task) {
		fuzz::check_one_line(decoded.error);
		return 0;
	}
	fuzz::check(decoded.error.empty(), "an accepted record with an error");
	fuzz::check(size == sizeof(struct lottery_task), "accepted a record of the wrong size");

	struct lottery_task record;
	std::memcpy(&record, data, sizeof(record));
	const RunnableTask &task = *decoded.task;
	fuzz::check(task.pid > 0 && task.pid <= (1 << 22) && task.tgid > 0 && task.tgid <= (1 << 22),
		    "accepted a pid or tgid out of range");
	fuzz::check(task.nice >= -20 && task.nice <= 19, "accepted a nice out of range");
	fuzz::check(static_cast<std::uint32_t>(task.pid) == record.pid && task.uid == record.uid &&
			    task.cpu == record.cpu && task.runtime_ns == record.runtime_ns,
		    "a field changed on the way");
	fuzz::check(task.kernel_thread == ((record.flags & LOTTERY_TASK_KTHREAD) != 0),
		    "the kernel-thread flag changed on the way");
	fuzz::check(task.comm.size() <= LOTTERY_COMM_LEN &&
			    std::memcmp(task.comm.data(), record.comm, task.comm.size()) == 0,
		    "comm is not the record's up to its first NUL");
	return 0;
}
