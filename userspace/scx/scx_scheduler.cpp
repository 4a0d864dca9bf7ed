// SPDX-License-Identifier: MIT
#include "scx_scheduler.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sys/utsname.h>
#include <thread>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/types.h>

#include "lottery_scx.h"
#include "tickets.h"

// The skeleton names kernel-style types.
using u32 = __u32;
using u64 = __u64;
using s32 = __s32;
#include "lottery_scx.skel.h"

// Linux 6.4 uapi, newer than Debian 12's headers: a struct_ops map made
// with BPF_F_LINK is registered by BPF_LINK_CREATE, and unregistered by
// the kernel when that link's last fd closes.
#ifndef BPF_F_LINK
#define BPF_F_LINK (1U << 13)
#endif
constexpr auto attach_struct_ops = static_cast<enum bpf_attach_type>(BPF_LSM_CGROUP + 1);

namespace lottery {
struct ScxScheduler::Skeleton {
	lottery_scx_bpf *bpf = nullptr;
	bpf_link *prepared = nullptr; // libbpf's view of the map update
	~Skeleton()
	{
		if (prepared)
			bpf_link__destroy(prepared);
		lottery_scx_bpf__destroy(bpf);
	}
};

namespace {

bool libbpf_creates_struct_ops_link()
{
	return libbpf_major_version() > 1 || libbpf_minor_version() >= 2;
}

std::string errno_text(int err)
{
	return std::strerror(err < 0 ? -err : err);
}

std::string read_line(const std::string &path)
{
	std::ifstream in(path);
	std::string line;
	std::getline(in, line);
	return line;
}

bool verbose_libbpf = false;

int print_libbpf(enum libbpf_print_level level, const char *format, va_list args)
{
	if (!verbose_libbpf && level != LIBBPF_WARN)
		return 0;
	return std::vfprintf(stderr, format, args);
}

} // namespace

ScxAvailability scx_availability(const std::string &sysfs_dir)
{
	ScxAvailability result;
	struct utsname name = {};
	uname(&name);
	if (access(sysfs_dir.c_str(), F_OK) != 0) {
		result.reason = std::string("this kernel (") + name.release +
				") has no sched_ext (CONFIG_SCHED_CLASS_EXT): the lottery cannot be the "
				"kernel's scheduler here; --mechanism signals enforces it on a managed set "
				"instead (SIGSTOP/SIGCONT and CPU affinity, one draw per interval)";
		return result;
	}
	result.kernel_has_it = true;
	const std::string state = read_line(sysfs_dir + "/state");
	if (state != "disabled") {
		std::string ops = read_line(sysfs_dir + "/root/ops");
		result.reason = "another sched_ext scheduler" + (ops.empty() ? "" : " (" + ops + ")") +
				" is " + (state.empty() ? "loaded" : state) +
				": only one can run; stop it first";
		return result;
	}
	result.available = true;
	return result;
}

std::string ScxExit::kind_name() const
{
	switch (kind) {
	case 0: return "none";
	case 1: return "done";
	case 64: return "unregistered";
	case 65: return "unregistered by BPF";
	case 66: return "unregistered by the kernel";
	case 67: return "sysrq";
	case 1024: return "error";
	case 1025: return "BPF error";
	case 1026: return "runnable task stall";
	default: return "kind " + std::to_string(kind);
	}
}

ScxScheduler::ScxScheduler(const ScxSettings &settings)
	: skel_(std::make_unique<Skeleton>()), settings_(settings)
{
	verbose_libbpf = settings.verbose;
	libbpf_set_print(print_libbpf);
	nr_cpus_ = libbpf_num_possible_cpus();
	if (nr_cpus_ <= 0 || nr_cpus_ > LOTTERY_SCX_MAX_CPUS)
		throw ScxError("cannot use " + std::to_string(nr_cpus_) + " possible CPUs (at most " +
			       std::to_string(LOTTERY_SCX_MAX_CPUS) + ")");

	lottery_scx_bpf *bpf = lottery_scx_bpf__open();
	if (!bpf)
		throw ScxError("opening the BPF scheduler failed: " + errno_text(errno));
	skel_->bpf = bpf;
	if (bpf->rodata->abi_version != LOTTERY_SCX_ABI_VERSION)
		throw ScxError("the BPF scheduler's ABI version differs from the loader's");
	bpf->rodata->policy = settings.draw_policy == DrawPolicy::Stride ? LOTTERY_SCX_POLICY_STRIDE
								 : LOTTERY_SCX_POLICY_LOTTERY;
	bpf->rodata->slice_ns = settings.slice_ns;
	bpf->rodata->nr_cpus = nr_cpus_;
	// The engine's table is the authority on what a nice value is worth.
	for (int nice = -20; nice < 20; ++nice)
		bpf->rodata->nice_tickets[nice + 20] = nice_to_weight(nice);
	bpf->rodata->idle_tickets = idle_weight;
	bpf->rodata->compensation = settings.compensation;
	bpf->rodata->cgroup_weights = settings.cgroup_weights;
	bpf->rodata->starve_tgid = settings.starve_tgid;
	bpf->rodata->fifo_baseline = settings.fifo_baseline;
	bpf_map__set_max_entries(bpf->maps.trees, nr_cpus_ + 1);

	bpf_map *ops = settings.whole_machine ? bpf->maps.lottery_whole : bpf->maps.lottery_partial;
	bpf_map *unused = settings.whole_machine ? bpf->maps.lottery_partial : bpf->maps.lottery_whole;
	bpf_map__set_autocreate(unused, false);
	bpf_map__set_map_flags(ops, bpf_map__map_flags(ops) | BPF_F_LINK);
	// libbpf 1.1 knows no "struct_ops.s": ops.init creates DSQs, which sleeps.
	bpf_program__set_flags(bpf->progs.lottery_init,
			       bpf_program__flags(bpf->progs.lottery_init) | BPF_F_SLEEPABLE);

	// --debug: the cost of each callback, in the statistics lines.
	if (settings.verbose)
		stats_fd_ = bpf_enable_stats(BPF_STATS_RUN_TIME);
	if (int err = lottery_scx_bpf__load(bpf)) {
		const char *hint = err == -EPERM || err == EPERM ? " (it needs root)"
				   : settings.verbose		 ? ""
								 : " (--debug shows libbpf's log)";
		throw ScxError("loading the BPF scheduler failed: " + errno_text(err) + hint);
	}
	// With BPF_F_LINK, libbpf 1.1 (Debian 12) only fills the map and the
	// link is ours to create; libbpf 1.2 and later (Debian 13) create it
	// here, and a second one would find the scheduler loaded (EBUSY).
	skel_->prepared = bpf_map__attach_struct_ops(ops);
	if (!skel_->prepared) {
		int err = errno;
		throw ScxError("attaching the scheduler failed: " + errno_text(err) +
			       (err == EBUSY || err == EEXIST ? " (another sched_ext scheduler is loaded)"
							      : ""));
	}
	if (libbpf_creates_struct_ops_link()) {
		link_fd_ = bpf_link__fd(skel_->prepared);
		return;
	}
	link_fd_ = bpf_link_create(bpf_map__fd(ops), 0, attach_struct_ops, nullptr);
	if (link_fd_ < 0) {
		int err = errno;
		link_fd_ = -1;
		throw ScxError("attaching the scheduler failed: " + errno_text(err) +
			       (err == EBUSY || err == EEXIST ? " (another sched_ext scheduler is loaded)"
							      : ""));
	}
}

ScxScheduler::~ScxScheduler()
{
	detach();
	if (stats_fd_ >= 0)
		close(stats_fd_);
}

void ScxScheduler::detach()
{
	if (link_fd_ < 0)
		return;
	if (libbpf_creates_struct_ops_link()) {
		bpf_link__destroy(skel_->prepared); // closes link_fd_
		skel_->prepared = nullptr;
	} else {
		close(link_fd_);
	}
	link_fd_ = -1;
	// The kernel disables the scheduler from a worker: wait for ops.exit.
	const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(scx_detach_ms);
	while (!exit_info() && std::chrono::steady_clock::now() < deadline)
		std::this_thread::sleep_for(std::chrono::milliseconds(10));
}

void ScxScheduler::set_tickets(std::int32_t id, std::uint64_t tickets)
{
	__u32 key = id;
	__u64 value = tickets;
	if (bpf_map_update_elem(bpf_map__fd(skel_->bpf->maps.task_tickets), &key, &value, BPF_ANY))
		throw ScxError("cannot set the tickets of " + std::to_string(id) + ": " +
			       errno_text(errno));
}

void ScxScheduler::clear_tickets(std::int32_t id)
{
	__u32 key = id;
	bpf_map_delete_elem(bpf_map__fd(skel_->bpf->maps.task_tickets), &key);
}

void ScxScheduler::set_currency(std::int32_t tgid, std::uint32_t currency)
{
	__u32 key = tgid;
	__u32 value = currency;
	const int fd = bpf_map__fd(skel_->bpf->maps.task_currency);
	if (currency == 0) {
		bpf_map_delete_elem(fd, &key);
		return;
	}
	if (bpf_map_update_elem(fd, &key, &value, BPF_ANY))
		throw ScxError("cannot set the currency of " + std::to_string(tgid) + ": " +
			       errno_text(errno));
}

void ScxScheduler::set_funding(std::uint32_t currency, std::uint64_t tickets)
{
	__u32 key = currency;
	__u64 value = tickets;
	if (bpf_map_update_elem(bpf_map__fd(skel_->bpf->maps.currency_funding), &key, &value, BPF_ANY))
		throw ScxError("cannot fund currency " + std::to_string(currency) + ": " + errno_text(errno));
}

std::uint32_t ScxScheduler::max_currency()
{
	return LOTTERY_SCX_CURRENCIES - 1;
}

ScxCounters ScxScheduler::counters() const
{
	std::vector<lottery_scx_counters> per_cpu(nr_cpus_);
	__u32 zero = 0;
	ScxCounters sum;
	if (bpf_map_lookup_elem(bpf_map__fd(skel_->bpf->maps.counters), &zero, per_cpu.data()))
		return sum;
	for (const auto &c : per_cpu) {
		sum.dispatches += c.dispatches;
		sum.prev_kept += c.prev_kept;
		sum.dispatched += c.dispatched;
		sum.empty += c.empty;
		sum.retries += c.retries;
		sum.stale += c.stale;
		sum.overflow += c.overflow;
		sum.enqueued += c.enqueued;
		sum.queued = std::max<std::uint64_t>(sum.queued, c.queued_seen);
	}
	bpf_prog_info info = {};
	__u32 size = sizeof(info);
	if (bpf_obj_get_info_by_fd(bpf_program__fd(skel_->bpf->progs.lottery_dispatch), &info, &size) == 0) {
		sum.dispatch_calls = info.run_cnt;
		sum.dispatch_ns = info.run_time_ns;
	}
	info = {};
	size = sizeof(info);
	if (bpf_obj_get_info_by_fd(bpf_program__fd(skel_->bpf->progs.lottery_enqueue), &info, &size) == 0) {
		sum.enqueue_calls = info.run_cnt;
		sum.enqueue_ns = info.run_time_ns;
	}
	return sum;
}

std::vector<ScxTaskStats> ScxScheduler::task_stats() const
{
	const int fd = bpf_map__fd(skel_->bpf->maps.task_stats);
	std::vector<ScxTaskStats> tasks;
	__u32 key, next;
	const __u32 *previous = nullptr;
	while (bpf_map_get_next_key(fd, previous, &next) == 0) {
		lottery_scx_task_stats value;
		if (bpf_map_lookup_elem(fd, &next, &value) == 0)
			tasks.push_back(ScxTaskStats{static_cast<std::int32_t>(next),
						     static_cast<std::int32_t>(value.tgid), value.wins,
						     value.runtime_ns, value.tickets});
		key = next;
		previous = &key;
	}
	return tasks;
}

std::optional<ScxExit> ScxScheduler::exit_info() const
{
	const lottery_scx_exit &info = skel_->bpf->bss->exit_info;
	const int kind = __atomic_load_n(&info.kind, __ATOMIC_ACQUIRE);
	if (kind == 0)
		return std::nullopt;
	ScxExit exit;
	exit.kind = kind;
	exit.exit_code = info.exit_code;
	exit.reason.assign(info.reason, strnlen(info.reason, sizeof(info.reason)));
	exit.message.assign(info.msg, strnlen(info.msg, sizeof(info.msg)));
	return exit;
}

} // namespace lottery
