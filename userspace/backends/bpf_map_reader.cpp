// SPDX-License-Identifier: MIT
#include "bpf_map_reader.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>

#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

namespace lottery {

namespace {

// Records asked for per batched lookup: few syscalls, small kernel buffers.
constexpr __u32 batch_chunk = 4096;

[[noreturn]] void throw_errno(int error, const std::string &what)
{
	throw BpfObjectError(error, what);
}

struct bpf_map_info map_info(int fd, const std::string &path)
{
	struct bpf_map_info info = {};
	__u32 length = sizeof(info);

	if (bpf_obj_get_info_by_fd(fd, &info, &length))
		throw_errno(errno, path);
	return info;
}

// Refuses a map whose type or key/value size is not the one this build reads.
void check_shape(const std::string &path, const struct bpf_map_info &info, __u32 type,
		 __u32 value_size)
{
	if (info.type != type || info.key_size != sizeof(__u32))
		throw MapLayoutError("the pinned map " + path + " is of type " +
				     std::to_string(info.type) + " with " +
				     std::to_string(info.key_size) + "-byte keys, not a sched_trace map");
	if (info.value_size != value_size)
		throw MapLayoutError("the pinned map " + path + " holds " +
				     std::to_string(info.value_size) + "-byte values, this lottery expects " +
				     std::to_string(value_size));
}

void check_header(const std::string &path, const struct sched_trace_info &header)
{
	if (header.magic != SCHED_TRACE_INFO_MAGIC) {
		char magic[16];
		std::snprintf(magic, sizeof(magic), "%#x", header.magic);
		throw MapLayoutError("the pinned map " + path + " has magic " + magic +
				     ", not a sched_trace info map");
	}
	if (header.abi_version != LOTTERY_ABI_VERSION)
		throw MapLayoutError("the pinned map " + path + " has ABI version " +
				     std::to_string(header.abi_version) + ", this lottery speaks " +
				     std::to_string(LOTTERY_ABI_VERSION));
	if (header.record_size != sizeof(struct lottery_task))
		throw MapLayoutError("the pinned map " + path + " announces " +
				     std::to_string(header.record_size) +
				     "-byte records, this lottery expects " +
				     std::to_string(sizeof(struct lottery_task)));
}

} // namespace

UniqueFd open_pinned_object(const std::string &path)
{
	int fd = bpf_obj_get(path.c_str());

	if (fd < 0)
		throw_errno(errno, path);
	return UniqueFd(fd);
}

TraceMaps open_trace_maps(const std::string &pin_dir)
{
	const std::string info_path = pin_dir + "/" SCHED_TRACE_INFO_MAP;
	const std::string runnable_path = pin_dir + "/" SCHED_TRACE_RUNNABLE_MAP;
	const std::string misses_path = pin_dir + "/" SCHED_TRACE_MISSES_MAP;
	TraceMaps maps;
	__u32 zero = 0;

	maps.info = open_pinned_object(info_path);
	check_shape(info_path, map_info(maps.info.get(), info_path), BPF_MAP_TYPE_ARRAY,
		    sizeof(maps.header));
	if (bpf_map_lookup_elem(maps.info.get(), &zero, &maps.header))
		throw_errno(errno, info_path);
	check_header(info_path, maps.header);

	maps.runnable = open_pinned_object(runnable_path);
	struct bpf_map_info runnable = map_info(maps.runnable.get(), runnable_path);
	check_shape(runnable_path, runnable, BPF_MAP_TYPE_HASH, sizeof(struct lottery_task));
	maps.capacity = runnable.max_entries;

	maps.misses = open_pinned_object(misses_path);
	check_shape(misses_path, map_info(maps.misses.get(), misses_path),
		    BPF_MAP_TYPE_PERCPU_ARRAY, sizeof(__u64));
	return maps;
}

std::uint64_t read_miss_count(int misses_fd)
{
	static const int cpus = libbpf_num_possible_cpus();
	std::vector<__u64> per_cpu(cpus > 0 ? cpus : 1);
	__u32 zero = 0;

	if (cpus <= 0)
		throw_errno(-cpus, "/sys/devices/system/cpu/possible");
	if (bpf_map_lookup_elem(misses_fd, &zero, per_cpu.data()))
		throw_errno(errno, "the misses map");
	std::uint64_t total = 0;
	for (__u64 count : per_cpu)
		total += count;
	return total;
}

RunnableMapReader::RunnableMapReader(int runnable_fd, __u32 capacity)
	: fd_(runnable_fd), chunk_(std::min(capacity, batch_chunk)), keys_(capacity),
	  records_(capacity)
{
}

std::span<const struct lottery_task> RunnableMapReader::read()
{
	if (batched_) {
		int error = read_batched();
		// Hash maps have had batches since 5.6; older kernels refuse them.
		if (error == EINVAL || error == ENOTSUP)
			batched_ = false;
		else if (error)
			throw_errno(error, "reading the runnable map");
	}
	if (!batched_)
		read_key_by_key();
	return {records_.data(), count_};
}

// Returns 0 or the errno of the first failed lookup.
int RunnableMapReader::read_batched()
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	__u32 position = 0, next = 0;
	bool first = true;
	__u32 chunk = chunk_;

	count_ = 0;
	while (count_ < records_.size()) {
		__u32 count = std::min<std::size_t>(chunk, records_.size() - count_);
		int rc = bpf_map_lookup_batch(fd_, first ? nullptr : &position, &next,
					      &keys_[count_], &records_[count_], &count, &opts);
		int error = rc ? errno : 0;

		if (error && error != ENOENT && error != ENOSPC)
			return error;
		count_ += count;
		if (error == ENOENT)	// that was the last bucket
			return 0;
		if (error == ENOSPC && count == 0) {
			// One hash bucket holds more than a chunk: ask for more.
			if (chunk >= records_.size() - count_)
				return 0;
			chunk *= 2;
			continue;
		}
		position = next;
		first = false;
	}
	return 0;
}

void RunnableMapReader::read_key_by_key()
{
	__u32 key = 0, next;
	bool first = true;

	count_ = 0;
	// A key deleted under us restarts the walk: bound it by the capacity.
	while (count_ < records_.size() &&
	       !bpf_map_get_next_key(fd_, first ? nullptr : &key, &next)) {
		first = false;
		key = next;
		if (!bpf_map_lookup_elem(fd_, &key, &records_[count_]))
			keys_[count_++] = key;
		else if (errno != ENOENT)
			throw_errno(errno, "reading the runnable map");
	}
}

} // namespace lottery
