// SPDX-License-Identifier: MIT
#include "snapshot_parser.h"

#include <cstdint>
#include <cstring>

#include <linux/types.h>

#include "lottery_snapshot.h"
#include "record_decode.h"

namespace lottery {

namespace {

[[noreturn]] void refuse(const std::string &why)
{
	throw BackendError("malformed snapshot: " + why);
}

// header_size + record_count * record_size, or refuse if it does not fit.
std::size_t expected_size(const struct lottery_snapshot_header &header)
{
	std::size_t records_size = 0;
	std::size_t total = 0;
	if (__builtin_mul_overflow(std::size_t{header.record_count}, std::size_t{header.record_size},
				   &records_size) ||
	    __builtin_add_overflow(records_size, std::size_t{header.header_size}, &total))
		refuse("record count " + std::to_string(header.record_count) + " overflows the size");
	return total;
}

// An iterator's header (UNCOUNTED) leaves the counts to the reader: the
// records are whatever follows it, in whole records.
void count_records(struct lottery_snapshot_header &header, std::size_t size)
{
	if (header.record_count || header.runnable_count)
		refuse("an uncounted snapshot with counts in its header");
	if (header.flags & LOTTERY_SNAPSHOT_TRUNCATED)
		refuse("an uncounted snapshot marked truncated");
	std::size_t records = size - sizeof(header);
	if (records % sizeof(struct lottery_task))
		refuse(std::to_string(records % sizeof(struct lottery_task)) +
		       " bytes of a partial record after " +
		       std::to_string(records / sizeof(struct lottery_task)) + " records");
	if (records / sizeof(struct lottery_task) > UINT32_MAX)
		refuse("more than 2^32 records");
	header.record_count = header.runnable_count =
		static_cast<__u32>(records / sizeof(struct lottery_task));
}

void check_header(struct lottery_snapshot_header &header, std::size_t size)
{
	if (header.header_size != sizeof(header))
		refuse("header of " + std::to_string(header.header_size) + " bytes, expected " +
		       std::to_string(sizeof(header)));
	if (header.record_size != sizeof(struct lottery_task))
		refuse("records of " + std::to_string(header.record_size) + " bytes, expected " +
		       std::to_string(sizeof(struct lottery_task)));
	if (header.flags & ~(LOTTERY_SNAPSHOT_TRUNCATED | LOTTERY_SNAPSHOT_UNCOUNTED))
		refuse("unknown flags " + std::to_string(header.flags));
	if (header.flags & LOTTERY_SNAPSHOT_UNCOUNTED)
		count_records(header, size);
	if (header.runnable_count < header.record_count)
		refuse("more records (" + std::to_string(header.record_count) + ") than runnable tasks (" +
		       std::to_string(header.runnable_count) + ")");
	bool truncated = header.flags & LOTTERY_SNAPSHOT_TRUNCATED;
	if (truncated != (header.runnable_count > header.record_count))
		refuse("the truncated flag disagrees with the record count");

	std::size_t expected = expected_size(header);
	if (size < expected)
		refuse("truncated: " + std::to_string(size) + " bytes for " +
		       std::to_string(header.record_count) + " records (" + std::to_string(expected) +
		       " bytes)");
	if (size > expected)
		refuse(std::to_string(size - expected) + " bytes of trailing garbage after " +
		       std::to_string(header.record_count) + " records");
}

} // namespace

std::string abi_mismatch_message(const std::string &who, std::uint32_t their_abi,
				 const std::string &fix)
{
	return who + " speaks ABI " + std::to_string(their_abi) + ", this lottery speaks " +
	       std::to_string(LOTTERY_ABI_VERSION) + ": " + fix;
}

Snapshot parse_snapshot(std::span<const std::byte> bytes, const std::string &abi_fix)
{
	struct lottery_snapshot_header header {};

	// Magic and ABI version come first so that a module of another version
	// is named as such even when its header has another size.
	constexpr std::size_t identity_size = sizeof(header.magic) + sizeof(header.abi_version);
	if (bytes.size() < identity_size)
		refuse("truncated: " + std::to_string(bytes.size()) + " bytes, shorter than a header");
	std::memcpy(&header, bytes.data(), identity_size);
	if (header.magic != LOTTERY_SNAPSHOT_MAGIC)
		refuse("wrong magic (not a /dev/lottery snapshot)");
	if (header.abi_version != LOTTERY_ABI_VERSION)
		throw BackendError(abi_mismatch_message("the snapshot", header.abi_version, abi_fix));
	if (bytes.size() < sizeof(header))
		refuse("truncated: " + std::to_string(bytes.size()) + " bytes, shorter than a header");
	std::memcpy(&header, bytes.data(), sizeof(header));
	check_header(header, bytes.size());

	Snapshot snapshot;
	snapshot.taken_ns = header.taken_ns;
	snapshot.lost_tasks = header.runnable_count - header.record_count;
	snapshot.tasks.reserve(header.record_count);
	auto records = bytes.subspan(sizeof(header));
	for (std::uint32_t i = 0; i < header.record_count; i++) {
		auto record = records.subspan(std::size_t{i} * sizeof(struct lottery_task),
					      sizeof(struct lottery_task));
		DecodeResult decoded = decode_task_record(record);
		if (!decoded.task)
			refuse("record " + std::to_string(i) + ": " + decoded.error);
		snapshot.tasks.push_back(std::move(*decoded.task));
	}
	return snapshot;
}

} // namespace lottery
