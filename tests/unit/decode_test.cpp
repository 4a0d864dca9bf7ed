// SPDX-License-Identifier: MIT
// The decoders of what the kernel hands us: one record (record_decode) and a
// whole snapshot (snapshot_parser). Everything here is outside
// data, so each check is tried with the one field that breaks it.
#include <cstring>
#include <vector>

#include <gtest/gtest.h>

#include <linux/types.h>

#include "snapshot_parser.h"
#include "lottery_chardev.h"
#include "record_decode.h"

namespace lottery {
namespace {

struct lottery_task make_record(__u32 pid, __s32 nice, const char *comm)
{
	struct lottery_task record {};
	record.pid = pid;
	record.tgid = pid;
	record.uid = 1000;
	record.nice = nice;
	record.policy = LOTTERY_SCHED_NORMAL;
	record.cpu = 1;
	record.runtime_ns = 12345;
	record.last_seen_ns = 67890;
	std::strncpy(record.comm, comm, sizeof(record.comm) - 1);
	return record;
}

struct lottery_snapshot_header make_header(__u32 record_count)
{
	struct lottery_snapshot_header header {};
	header.magic = LOTTERY_SNAPSHOT_MAGIC;
	header.abi_version = LOTTERY_ABI_VERSION;
	header.header_size = sizeof(header);
	header.record_size = sizeof(struct lottery_task);
	header.record_count = record_count;
	header.runnable_count = record_count;
	header.taken_ns = 1000;
	return header;
}

template <typename T> void append(std::vector<std::byte> &bytes, const T &value)
{
	const auto *raw = reinterpret_cast<const std::byte *>(&value);
	bytes.insert(bytes.end(), raw, raw + sizeof(value));
}

std::vector<std::byte> encode(const struct lottery_snapshot_header &header,
			      const std::vector<struct lottery_task> &records)
{
	std::vector<std::byte> bytes;
	append(bytes, header);
	for (const auto &record : records)
		append(bytes, record);
	return bytes;
}

std::vector<std::byte> good_snapshot()
{
	return encode(make_header(2), {make_record(100, -5, "cpu_task"), make_record(200, 19, "kworker/0:1")});
}

// The message parse_snapshot() refuses `bytes` with; fails the test if it accepts them.
std::string refusal(const std::vector<std::byte> &bytes)
{
	try {
		parse_snapshot(bytes, "load it again");
	} catch (const BackendError &e) {
		return e.what();
	}
	ADD_FAILURE() << "snapshot of " << bytes.size() << " bytes was accepted";
	return {};
}

TEST(RecordDecode, AcceptsAPlausibleRecord)
{
	struct lottery_task record = make_record(4242, -20, "stress");
	record.tgid = 4240;
	record.flags = LOTTERY_TASK_KTHREAD;
	record.policy = LOTTERY_SCHED_BATCH;
	DecodeResult result = decode_task_record(record);
	ASSERT_TRUE(result.task) << result.error;
	EXPECT_EQ(result.task->pid, 4242);
	EXPECT_EQ(result.task->tgid, 4240);
	EXPECT_EQ(result.task->nice, -20);
	EXPECT_EQ(result.task->policy, SchedPolicy::Batch);
	EXPECT_TRUE(result.task->kernel_thread);
	EXPECT_EQ(result.task->runtime_ns, 12345u);
	EXPECT_EQ(result.task->comm, "stress");
}

TEST(RecordDecode, RefusesImpossibleValues)
{
	struct Case {
		const char *what;
		void (*damage)(struct lottery_task &);
	};
	const Case cases[] = {
		{"pid", [](struct lottery_task &r) { r.pid = 0; }},
		{"pid", [](struct lottery_task &r) { r.pid = (1U << 22) + 1; }},
		{"tgid", [](struct lottery_task &r) { r.tgid = 0; }},
		{"nice", [](struct lottery_task &r) { r.nice = -21; }},
		{"nice", [](struct lottery_task &r) { r.nice = 20; }},
		{"policy", [](struct lottery_task &r) { r.policy = 4; }},
		{"flags", [](struct lottery_task &r) { r.flags = 1U << 7; }},
	};
	for (const Case &c : cases) {
		struct lottery_task record = make_record(10, 0, "x");
		c.damage(record);
		DecodeResult result = decode_task_record(record);
		EXPECT_FALSE(result.task) << c.what;
		EXPECT_NE(result.error.find(c.what), std::string::npos) << result.error;
	}
}

TEST(RecordDecode, CommWithoutNulStopsAtItsEnd)
{
	struct lottery_task record = make_record(10, 0, "");
	std::memset(record.comm, 'a', sizeof(record.comm));
	DecodeResult result = decode_task_record(record);
	ASSERT_TRUE(result.task);
	EXPECT_EQ(result.task->comm, std::string(LOTTERY_COMM_LEN, 'a'));
}

TEST(RecordDecode, RefusesBytesOfTheWrongSize)
{
	std::vector<std::byte> bytes(sizeof(struct lottery_task) - 1);
	EXPECT_FALSE(decode_task_record(bytes).task);
	bytes.resize(sizeof(struct lottery_task) + 1);
	EXPECT_FALSE(decode_task_record(bytes).task);
}

// The bpf backend decodes into tasks of a vector it grows: every field must
// be written, whatever the task held before.
TEST(RecordDecode, IntoATaskWritesEveryField)
{
	struct lottery_task first = make_record(4242, -20, "kworker/0:1H");
	first.flags = LOTTERY_TASK_KTHREAD;
	first.policy = LOTTERY_SCHED_FIFO;
	struct lottery_task second = make_record(7, 3, "sh");
	second.uid = 0;
	second.cpu = 0;
	second.runtime_ns = 1;
	second.last_seen_ns = 2;

	RunnableTask task;
	std::string error;
	ASSERT_TRUE(decode_task_record_into(first, task, &error)) << error;
	ASSERT_TRUE(decode_task_record_into(second, task, nullptr));
	DecodeResult fresh = decode_task_record(second);
	ASSERT_TRUE(fresh.task);
	EXPECT_EQ(task.pid, 7);
	EXPECT_EQ(task.tgid, fresh.task->tgid);
	EXPECT_EQ(task.uid, 0u);
	EXPECT_EQ(task.nice, 3);
	EXPECT_EQ(task.policy, SchedPolicy::Normal);
	EXPECT_EQ(task.cpu, 0u);
	EXPECT_FALSE(task.kernel_thread);
	EXPECT_EQ(task.runtime_ns, 1u);
	EXPECT_EQ(task.last_seen_ns, 2u);
	EXPECT_EQ(task.comm, "sh");
}

TEST(RecordDecode, IntoATaskRefusesWithOrWithoutAReason)
{
	struct lottery_task record = make_record(10, 0, "x");
	record.nice = 20;
	RunnableTask task;
	EXPECT_FALSE(decode_task_record_into(record, task, nullptr));
	std::string error;
	EXPECT_FALSE(decode_task_record_into(record, task, &error));
	EXPECT_NE(error.find("nice"), std::string::npos) << error;
}

TEST(SnapshotParser, ParsesAGoodSnapshot)
{
	Snapshot snapshot = parse_snapshot(good_snapshot(), "load it again");
	ASSERT_EQ(snapshot.tasks.size(), 2u);
	EXPECT_EQ(snapshot.taken_ns, 1000u);
	EXPECT_EQ(snapshot.lost_tasks, 0u);
	EXPECT_EQ(snapshot.tasks[0].pid, 100);
	EXPECT_EQ(snapshot.tasks[0].nice, -5);
	EXPECT_EQ(snapshot.tasks[1].comm, "kworker/0:1");
}

TEST(SnapshotParser, EmptySnapshotIsValid)
{
	EXPECT_TRUE(parse_snapshot(encode(make_header(0), {}), "load it again").tasks.empty());
}

TEST(SnapshotParser, TruncatedSnapshotReportsLostTasks)
{
	struct lottery_snapshot_header header = make_header(1);
	header.runnable_count = 5;
	header.flags = LOTTERY_SNAPSHOT_TRUNCATED;
	Snapshot snapshot = parse_snapshot(encode(header, {make_record(7, 0, "a")}), "load it again");
	EXPECT_EQ(snapshot.lost_tasks, 4u);
	// Lost from this snapshot is not a history: the module keeps none.
	EXPECT_EQ(snapshot.misses_since_load, 0u);
}

TEST(SnapshotParser, RefusesEveryShorterPrefix)
{
	std::vector<std::byte> bytes = good_snapshot();
	for (std::size_t length = 0; length < bytes.size(); length++) {
		std::vector<std::byte> prefix(bytes.begin(), bytes.begin() + length);
		EXPECT_NE(refusal(prefix).find("truncated"), std::string::npos) << "length " << length;
	}
}

TEST(SnapshotParser, RefusesTrailingGarbage)
{
	std::vector<std::byte> bytes = good_snapshot();
	bytes.push_back(std::byte{0});
	EXPECT_NE(refusal(bytes).find("trailing garbage"), std::string::npos);
}

TEST(SnapshotParser, RefusesWrongMagic)
{
	struct lottery_snapshot_header header = make_header(0);
	header.magic = 0x7f454c46; // an ELF file, say
	EXPECT_NE(refusal(encode(header, {})).find("wrong magic"), std::string::npos);
}

TEST(SnapshotParser, NamesAnotherAbiVersionAndTheFix)
{
	struct lottery_snapshot_header header = make_header(0);
	header.abi_version = LOTTERY_ABI_VERSION + 1;
	header.header_size = 48; // another ABI may have another header: still named by version
	std::string why = refusal(encode(header, {}));
	EXPECT_NE(why.find("speaks ABI " + std::to_string(LOTTERY_ABI_VERSION + 1)), std::string::npos) << why;
	EXPECT_NE(why.find(": load it again"), std::string::npos) << why;
}

TEST(SnapshotParser, RefusesOtherHeaderOrRecordSizes)
{
	struct lottery_snapshot_header header = make_header(0);
	header.header_size += 8;
	EXPECT_NE(refusal(encode(header, {})).find("header of"), std::string::npos);
	header = make_header(0);
	header.record_size = 48;
	EXPECT_NE(refusal(encode(header, {})).find("records of 48 bytes"), std::string::npos);
}

TEST(SnapshotParser, RefusesACountThatOverflowsOrExceedsTheBytes)
{
	for (__u32 count : {3U, 0x7fffffffU, 0xffffffffU}) {
		struct lottery_snapshot_header header = make_header(count);
		std::string why = refusal(encode(header, {make_record(1, 0, "a"), make_record(2, 0, "b")}));
		EXPECT_NE(why.find("truncated"), std::string::npos) << count << ": " << why;
	}
}

TEST(SnapshotParser, RefusesInconsistentCounts)
{
	struct lottery_snapshot_header header = make_header(1);
	header.runnable_count = 0;
	EXPECT_NE(refusal(encode(header, {make_record(1, 0, "a")})).find("more records"), std::string::npos);
	header = make_header(1);
	header.flags = LOTTERY_SNAPSHOT_TRUNCATED; // but nothing was lost
	EXPECT_NE(refusal(encode(header, {make_record(1, 0, "a")})).find("truncated flag"), std::string::npos);
	header = make_header(0);
	header.flags = 1U << 5;
	EXPECT_NE(refusal(encode(header, {})).find("unknown flags"), std::string::npos);
}

// The BPF iterator writes its header before it sees a task: the parser counts.
struct lottery_snapshot_header uncounted_header()
{
	struct lottery_snapshot_header header = make_header(0);
	header.flags = LOTTERY_SNAPSHOT_UNCOUNTED;
	return header;
}

TEST(SnapshotParser, CountsTheRecordsOfAnUncountedSnapshot)
{
	Snapshot snapshot = parse_snapshot(
		encode(uncounted_header(), {make_record(3, 1, "a"), make_record(4, 2, "b"), make_record(5, 3, "c")}),
		"load it again");
	ASSERT_EQ(snapshot.tasks.size(), 3u);
	EXPECT_EQ(snapshot.lost_tasks, 0u);
	EXPECT_EQ(snapshot.misses_since_load, 0u);
	EXPECT_EQ(snapshot.tasks[2].pid, 5);
	EXPECT_TRUE(parse_snapshot(encode(uncounted_header(), {}), "load it again").tasks.empty());
}

TEST(SnapshotParser, RefusesAPartialRecordOrCountsInAnUncountedSnapshot)
{
	std::vector<std::byte> bytes = encode(uncounted_header(), {make_record(3, 1, "a")});
	bytes.resize(bytes.size() - 1);
	EXPECT_NE(refusal(bytes).find("partial record after 0 records"), std::string::npos) << refusal(bytes);

	struct lottery_snapshot_header header = uncounted_header();
	header.record_count = 1;
	EXPECT_NE(refusal(encode(header, {make_record(3, 1, "a")})).find("uncounted snapshot with counts"),
		  std::string::npos);
	header = uncounted_header();
	header.flags |= LOTTERY_SNAPSHOT_TRUNCATED;
	EXPECT_NE(refusal(encode(header, {})).find("uncounted snapshot marked truncated"), std::string::npos);
}

TEST(SnapshotParser, RefusesTheWholeSnapshotForOneImpossibleRecord)
{
	std::string why = refusal(encode(make_header(2), {make_record(1, 0, "a"), make_record(2, 40, "b")}));
	EXPECT_NE(why.find("record 1: nice 40 is out of range"), std::string::npos) << why;
}

} // namespace
} // namespace lottery
