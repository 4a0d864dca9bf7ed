// SPDX-License-Identifier: MIT
// Writes the binary seeds of fuzz/corpus/ from the ABI headers themselves,
// so that they follow the layout if it changes:
//   build/fuzz/fuzz_make_seeds fuzz/corpus
// Seeds are valid inputs and the edge cases next to them; the fuzzer finds
// the broken ones on its own.
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include <linux/types.h>

#include "lottery_chardev.h"

namespace {

struct lottery_task task(__u32 pid, __u32 tgid, __s32 nice, __u32 policy, const char *comm)
{
	struct lottery_task record = {.pid = pid, .tgid = tgid, .uid = 1000, .nice = nice,
				      .policy = policy, .cpu = 1, .runtime_ns = 123456789,
				      .last_seen_ns = 987654321};
	std::strncpy(record.comm, comm, sizeof(record.comm));
	return record;
}

std::vector<char> snapshot(const std::vector<struct lottery_task> &records, __u32 runnable)
{
	struct lottery_snapshot_header header {};
	header.magic = LOTTERY_SNAPSHOT_MAGIC;
	header.abi_version = LOTTERY_ABI_VERSION;
	header.header_size = sizeof(header);
	header.record_size = sizeof(struct lottery_task);
	header.record_count = records.size();
	header.flags = runnable > records.size() ? LOTTERY_SNAPSHOT_TRUNCATED : 0;
	header.taken_ns = 1000000000;
	header.runnable_count = runnable;
	std::vector<char> bytes(sizeof(header) + records.size() * sizeof(struct lottery_task));
	std::memcpy(bytes.data(), &header, sizeof(header));
	if (!records.empty())
		std::memcpy(bytes.data() + sizeof(header), records.data(),
			    records.size() * sizeof(struct lottery_task));
	return bytes;
}

bool write(const std::string &path, const void *data, std::size_t size)
{
	std::ofstream out(path, std::ios::binary | std::ios::trunc);
	out.write(static_cast<const char *>(data), size);
	if (!out)
		std::fprintf(stderr, "fuzz_make_seeds: cannot write %s\n", path.c_str());
	return bool(out);
}

bool write(const std::string &path, const std::vector<char> &bytes)
{
	return write(path, bytes.data(), bytes.size());
}

} // namespace

int main(int argc, char **argv)
{
	if (argc != 2) {
		std::fprintf(stderr, "usage: fuzz_make_seeds CORPUS_DIR (e.g. fuzz/corpus)\n");
		return 2;
	}
	const std::string snapshots = std::string(argv[1]) + "/chardev_snapshot/";
	const std::string records = std::string(argv[1]) + "/task_record/";

	auto busy = task(4242, 4242, 0, LOTTERY_SCHED_NORMAL, "cpu_task");
	auto niced = task(4243, 4242, -20, LOTTERY_SCHED_BATCH, "worker");
	auto idle = task(4244, 4244, 19, LOTTERY_SCHED_IDLE, "idle_loop");
	auto kthread = task(12, 12, 0, LOTTERY_SCHED_NORMAL, "kworker/0:1");
	kthread.flags = LOTTERY_TASK_KTHREAD;
	auto realtime = task(500, 500, 0, LOTTERY_SCHED_FIFO, "irq/9-acpi");
	auto full_comm = task(1U << 22, 1U << 22, 5, LOTTERY_SCHED_EXT, "");
	std::memset(full_comm.comm, 'x', sizeof(full_comm.comm)); // no NUL at all

	bool ok = write(snapshots + "three-tasks", snapshot({busy, niced, idle}, 3)) &&
		  write(snapshots + "empty", snapshot({}, 0)) &&
		  write(snapshots + "truncated-flag", snapshot({busy, kthread}, 7)) &&
		  write(snapshots + "realtime-and-full-comm", snapshot({realtime, full_comm}, 2));
	for (const auto &[name, record] : {std::pair{"busy", busy}, std::pair{"kthread", kthread},
					   std::pair{"realtime", realtime}, std::pair{"full-comm", full_comm}})
		ok = write(records + name, &record, sizeof(record)) && ok;
	return ok ? 0 : 1;
}
