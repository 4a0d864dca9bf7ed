// SPDX-License-Identifier: MIT
#include "bpf_map_reader.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include <sys/mman.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

namespace lottery {

namespace {

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

// The reader maps the map: without BPF_F_MMAPABLE it could not.
void check_mmapable(const std::string &path, const struct bpf_map_info &info)
{
	if (!(info.map_flags & BPF_F_MMAPABLE))
		throw MapLayoutError("the pinned map " + path + " cannot be memory-mapped (no "
				     "BPF_F_MMAPABLE): not a sched_trace map of this version");
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
	if (header.record_size != sizeof(struct lottery_task) ||
	    header.slot_size != sizeof(struct sched_trace_slot))
		throw MapLayoutError("the pinned map " + path + " announces " +
				     std::to_string(header.record_size) + "-byte records in " +
				     std::to_string(header.slot_size) +
				     "-byte slots, this lottery expects " +
				     std::to_string(sizeof(struct lottery_task)) + " in " +
				     std::to_string(sizeof(struct sched_trace_slot)));
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
	const std::string usage_path = pin_dir + "/" SCHED_TRACE_USAGE_MAP;
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
	check_shape(runnable_path, runnable, BPF_MAP_TYPE_ARRAY, sizeof(struct sched_trace_slot));
	check_mmapable(runnable_path, runnable);
	maps.capacity = runnable.max_entries;

	maps.usage = open_pinned_object(usage_path);
	struct bpf_map_info usage = map_info(maps.usage.get(), usage_path);
	check_shape(usage_path, usage, BPF_MAP_TYPE_ARRAY, sizeof(struct sched_trace_usage));
	check_mmapable(usage_path, usage);

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

MapMapping::MapMapping(int fd, std::size_t bytes, bool writable, const std::string &what)
	: bytes_(bytes)
{
	void *data = mmap(nullptr, bytes, PROT_READ | (writable ? PROT_WRITE : 0), MAP_SHARED, fd, 0);
	if (data == MAP_FAILED)
		throw_errno(errno, "mapping " + what);
	data_ = data;
}

MapMapping::MapMapping(MapMapping &&other) noexcept
	: data_(std::exchange(other.data_, nullptr)), bytes_(std::exchange(other.bytes_, 0))
{
}

MapMapping &MapMapping::operator=(MapMapping &&other) noexcept
{
	if (this != &other) {
		if (data_)
			munmap(data_, bytes_);
		data_ = std::exchange(other.data_, nullptr);
		bytes_ = std::exchange(other.bytes_, 0);
	}
	return *this;
}

MapMapping::~MapMapping()
{
	if (data_)
		munmap(data_, bytes_);
}

namespace {

std::size_t page_rounded(std::size_t bytes)
{
	static const std::size_t page = sysconf(_SC_PAGESIZE);
	return (bytes + page - 1) / page * page;
}

// The kernel lays array values out at 8-byte strides; the slot is a multiple.
static_assert(sizeof(struct sched_trace_slot) % 8 == 0);

// What the tracer writes with atomics, read with acquire semantics.
__u32 load_acquire(const __u32 &word)
{
	return std::atomic_ref<const __u32>(word).load(std::memory_order_acquire);
}

} // namespace

MapMapping map_slots(const TraceMaps &maps, bool writable)
{
	return MapMapping(maps.runnable.get(),
			  page_rounded(std::size_t(maps.capacity) * sizeof(struct sched_trace_slot)), writable,
			  "the runnable map");
}

MapMapping map_usage(const TraceMaps &maps, bool writable)
{
	return MapMapping(maps.usage.get(), page_rounded(sizeof(struct sched_trace_usage)), writable,
			  "the usage map");
}

std::optional<__u32> add_slot(const MapMapping &slots, const MapMapping &usage, __u32 capacity,
			      const struct lottery_task &record, __u32 state)
{
	auto *used = static_cast<struct sched_trace_usage *>(usage.data());
	__u32 index = std::atomic_ref<__u32>(used->slots_used).fetch_add(1);
	if (index >= capacity)
		return std::nullopt;
	auto &slot = static_cast<struct sched_trace_slot *>(slots.data())[index];
	slot.task = record;
	std::atomic_ref<__u32>(slot.state).store(state, std::memory_order_release);
	return index;
}

// Writable for mark_asleep().
RunnableMapReader::RunnableMapReader(const TraceMaps &maps)
	: capacity_(maps.capacity), slots_map_(map_slots(maps, true)), usage_map_(map_usage(maps, false))
{
}

__u32 RunnableMapReader::slots_used() const
{
	const auto *usage = static_cast<const struct sched_trace_usage *>(usage_map_.data());
	return std::min(load_acquire(usage->slots_used), capacity_);
}

std::span<const struct lottery_task> RunnableMapReader::read()
{
	const auto *slots = static_cast<const struct sched_trace_slot *>(slots_map_.data());
	const __u32 used = slots_used();

	if (records_.size() < used) {
		records_.resize(used);
		slots_.resize(used);
	}
	count_ = torn_ = 0;
	for (__u32 i = 0; i < used; i++) {
		const struct sched_trace_slot &slot = slots[i];
		// A sequence-count read: the record is kept only if no hand-over
		// (odd count, or a different count after) overlapped the copy.
		for (int attempt = 0;; attempt++) {
			__u32 before = load_acquire(slot.seq);
			if (!(before & 1)) {
				if (std::atomic_ref<const __u32>(slot.state).load(std::memory_order_relaxed) !=
				    SCHED_TRACE_SLOT_RUNNABLE)
					break;
				std::memcpy(&records_[count_], &slot.task, sizeof(slot.task));
				std::atomic_thread_fence(std::memory_order_acquire);
				if (load_acquire(slot.seq) == before) {
					slots_[count_++] = i;
					break;
				}
			}
			if (attempt == 2) {
				torn_++;
				break;
			}
		}
	}
	return {records_.data(), count_};
}

void RunnableMapReader::mark_asleep(__u32 slot, const struct lottery_task &seen)
{
	if (slot >= capacity_)
		return;
	auto *slots = static_cast<struct sched_trace_slot *>(slots_map_.data());
	struct sched_trace_slot &target = slots[slot];
	__u32 before = load_acquire(target.seq);
	if ((before & 1) || target.task.pid != seen.pid || target.task.last_seen_ns != seen.last_seen_ns)
		return;
	// Only from runnable to asleep: a slot freed or handed on meanwhile is
	// left as the tracer made it.
	__u32 expected = SCHED_TRACE_SLOT_RUNNABLE;
	std::atomic_ref<__u32>(target.state)
		.compare_exchange_strong(expected, SCHED_TRACE_SLOT_ASLEEP, std::memory_order_acq_rel);
}

} // namespace lottery
