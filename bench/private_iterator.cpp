// SPDX-License-Identifier: MIT
#include "private_iterator.h"

#include <cerrno>
#include <system_error>

#include <sys/stat.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "sched_iter.skel.h"
#include "sched_trace.h"

namespace lottery::bench {

namespace {

[[noreturn]] void fail(int error, const std::string &what)
{
	throw std::system_error(error, std::generic_category(), what);
}

} // namespace

PrivateIterator::PrivateIterator(std::string pin_dir, bool every_task) : pin_dir_(std::move(pin_dir))
{
	skel_ = sched_iter_bpf::open();
	if (!skel_)
		fail(errno, "opening the BPF iterator");
	try {
		skel_->rodata->every_task = every_task;
		if (int rc = sched_iter_bpf::load(skel_))
			fail(-rc, "loading the BPF iterator");
		skel_->links.runnable_snapshot = bpf_program__attach_iter(skel_->progs.runnable_snapshot, nullptr);
		if (!skel_->links.runnable_snapshot)
			fail(errno, "attaching the task iterator");
		if (mkdir(pin_dir_.c_str(), 0700))
			fail(errno, "creating " + pin_dir_);
		if (int rc = bpf_link__pin(skel_->links.runnable_snapshot, pin_path().c_str())) {
			rmdir(pin_dir_.c_str());
			fail(-rc, "pinning the task iterator at " + pin_path());
		}
	} catch (...) {
		sched_iter_bpf::destroy(skel_);
		throw;
	}
}

PrivateIterator::~PrivateIterator()
{
	bpf_link__unpin(skel_->links.runnable_snapshot);
	rmdir(pin_dir_.c_str());
	if (stats_fd_ >= 0)
		close(stats_fd_);
	sched_iter_bpf::destroy(skel_);
}

std::string PrivateIterator::pin_path() const
{
	return pin_dir_ + "/" SCHED_TRACE_SNAPSHOT_ITER;
}

void PrivateIterator::enable_stats()
{
	if (stats_fd_ >= 0)
		return;
	stats_fd_ = bpf_enable_stats(BPF_STATS_RUN_TIME);
	if (stats_fd_ < 0)
		fail(errno, "enabling BPF run time statistics");
}

ProgramRunTime PrivateIterator::run_time() const
{
	struct bpf_prog_info info = {};
	__u32 length = sizeof(info);
	if (bpf_obj_get_info_by_fd(bpf_program__fd(skel_->progs.runnable_snapshot), &info, &length))
		fail(errno, "reading the iterator program's statistics");
	return {info.run_time_ns, info.run_cnt};
}

} // namespace lottery::bench
