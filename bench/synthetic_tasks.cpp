// SPDX-License-Identifier: MIT
#include "synthetic_tasks.h"

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <fstream>
#include <system_error>

#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <linux/btf.h>

#include "lottery_task.h"
#include "sched_trace.h"
#include "timing.h"

namespace lottery::bench {

namespace {

// The decoder refuses pids above PID_MAX_LIMIT (2^22), the most pid_max can be.
constexpr __u32 pid_limit = 1U << 22;
// Room kept below pid_limit when pid_max is already at the limit: there a
// real task may share a synthetic pid, which changes nothing the benchmark
// measures (the tracer writes only its own slots).
constexpr __u32 fallback_room = 1U << 20;

__u32 first_free_pid()
{
	unsigned long pid_max = 0;
	std::ifstream("/proc/sys/kernel/pid_max") >> pid_max;
	if (pid_max == 0 || pid_max >= pid_limit - fallback_room)
		return pid_limit - fallback_room;
	return static_cast<__u32>(pid_max) + 1;
}

// Nice values spread over the whole range, so the ticket table holds every
// weight from 15 to 88761 as on a mixed machine.
struct lottery_task synthetic_record(__u32 pid, long cpus)
{
	struct lottery_task record;

	std::memset(&record, 0, sizeof(record));
	record.pid = pid;
	record.tgid = pid;
	record.uid = 65534;
	record.nice = static_cast<__s32>(pid % 40) - 20;
	record.policy = LOTTERY_SCHED_NORMAL;
	record.cpu = static_cast<__u32>(pid % (cpus > 0 ? cpus : 1));
	record.runtime_ns = 1000000ULL * (pid % 1000);
	record.last_seen_ns = now_ns();
	std::strncpy(record.comm, "synthetic", sizeof(record.comm) - 1);
	return record;
}

// BTF for the seed-shaped map, so that bpftool prints its records field by
// field ("formatted"), as it did for the seed's map. Returns the BTF fd.
int load_record_btf(__u32 &key_type, __u32 &value_type)
{
	struct btf *btf = btf__new_empty();
	if (!btf)
		throw std::system_error(errno, std::generic_category(), "creating BTF");
	int u32 = btf__add_int(btf, "__u32", 4, 0);
	int s32 = btf__add_int(btf, "__s32", 4, BTF_INT_SIGNED);
	int u64 = btf__add_int(btf, "__u64", 8, 0);
	int chr = btf__add_int(btf, "char", 1, BTF_INT_CHAR);
	int comm = btf__add_array(btf, u32, chr, LOTTERY_COMM_LEN);
	int record = btf__add_struct(btf, "lottery_task", sizeof(struct lottery_task));
	const struct {
		const char *name;
		int type;
		std::size_t offset;
	} fields[] = {
		{"pid", u32, offsetof(lottery_task, pid)},	   {"tgid", u32, offsetof(lottery_task, tgid)},
		{"uid", u32, offsetof(lottery_task, uid)},	   {"nice", s32, offsetof(lottery_task, nice)},
		{"policy", u32, offsetof(lottery_task, policy)},   {"cpu", u32, offsetof(lottery_task, cpu)},
		{"flags", u32, offsetof(lottery_task, flags)},	   {"reserved", u32, offsetof(lottery_task, reserved)},
		{"runtime_ns", u64, offsetof(lottery_task, runtime_ns)},
		{"last_seen_ns", u64, offsetof(lottery_task, last_seen_ns)},
		{"comm", comm, offsetof(lottery_task, comm)},
	};
	for (const auto &field : fields)
		btf__add_field(btf, field.name, field.type, field.offset * 8, 0);
	int error = btf__load_into_kernel(btf);
	int fd = error ? -1 : btf__fd(btf);
	if (fd >= 0)
		fd = dup(fd);
	btf__free(btf);
	if (fd < 0)
		throw std::system_error(error ? -error : errno, std::generic_category(), "loading BTF");
	key_type = u32;
	value_type = record;
	return fd;
}

} // namespace

SyntheticTasks::SyntheticTasks(const TraceMaps &maps)
	: capacity_(maps.capacity),
	  slots_(map_slots(maps, true)), usage_(map_usage(maps, true)),
	  next_pid_(first_free_pid())
{
}

SyntheticTasks::~SyntheticTasks()
{
	if (!keep_)
		remove();
	if (seed_fd_ >= 0)
		close(seed_fd_);
}

void SyntheticTasks::fill_to(std::size_t entries, std::size_t present)
{
	const long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	for (; present < entries; present++) {
		if (next_pid_ > pid_limit)
			throw std::system_error(ERANGE, std::generic_category(),
						"no pid left above pid_max for synthetic tasks");
		std::optional<__u32> index = add_slot(slots_, usage_, capacity_,
						      synthetic_record(next_pid_++, cpus),
						      SCHED_TRACE_SLOT_RUNNABLE);
		if (!index)
			throw std::system_error(ENOSPC, std::generic_category(),
						"the runnable map has no free slot for synthetic task " +
							std::to_string(present));
		filled_.push_back(*index);
	}
}

void SyntheticTasks::pin_seed_map(const std::string &path, const std::vector<struct lottery_task> &runnable)
{
	__u32 key_type, value_type;
	int btf_fd = load_record_btf(key_type, value_type);
	LIBBPF_OPTS(bpf_map_create_opts, opts, .btf_fd = static_cast<__u32>(btf_fd),
		    .btf_key_type_id = key_type, .btf_value_type_id = value_type);
	seed_fd_ = bpf_map_create(BPF_MAP_TYPE_HASH, "seed_runnable", sizeof(__u32),
				  sizeof(struct lottery_task), capacity_, &opts);
	int error = errno;
	close(btf_fd);
	if (seed_fd_ < 0)
		throw std::system_error(error, std::generic_category(), "creating the seed-shaped map");
	for (const struct lottery_task &record : runnable)
		if (bpf_map_update_elem(seed_fd_, &record.pid, &record, BPF_ANY))
			throw std::system_error(errno, std::generic_category(), "filling the seed-shaped map");
	if (bpf_obj_pin(seed_fd_, path.c_str()))
		throw std::system_error(errno, std::generic_category(), "pinning " + path);
}

void SyntheticTasks::remove()
{
	auto *slots = static_cast<struct sched_trace_slot *>(slots_.data());
	for (__u32 index : filled_)
		std::atomic_ref<__u32>(slots[index].state).store(SCHED_TRACE_SLOT_FREE);
	filled_.clear();
}

} // namespace lottery::bench
