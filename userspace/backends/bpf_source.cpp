// SPDX-License-Identifier: MIT
// The bpf backend: the runnable tasks as the sched_trace tracer keeps them in
// its pinned slots (bpf/sched_trace.bpf.c, loaded by lottery-tracer), copied
// from a memory mapping.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <cstdio>
#include <ctime>
#include <fcntl.h>

#include <bpf/bpf.h>

#include <sys/stat.h>
#include <unistd.h>

#include "bpf_access.h"
#include "bpf_map_reader.h"
#include "clock.h"
#include "proc_pid_stat.h"
#include "record_decode.h"
#include "snapshot_source.h"
#include "user_path.h"

namespace lottery {

namespace {

// An empty pin directory (made by hand, or by an unload that could not
// remove it) means no tracer, not half of one.
bool holds_a_map(const std::string &pin_dir)
{
	for (const char *name : {SCHED_TRACE_INFO_MAP, SCHED_TRACE_RUNNABLE_MAP, SCHED_TRACE_USAGE_MAP,
				  SCHED_TRACE_MISSES_MAP})
		if (access((pin_dir + "/" + name).c_str(), F_OK) == 0)
			return true;
	return false;
}

class BpfSource : public SnapshotSource {
public:
	BpfSource(std::string pin_dir, TraceMaps maps, ino_t runnable_inode)
		: pin_dir_(std::move(pin_dir)), maps_(std::move(maps)),
		  runnable_inode_(runnable_inode), reader_(maps_),
		  misses_seen_(read_miss_count(maps_.misses.get()))
	{
	}

	const char *name() const override { return "bpf"; }
	Snapshot take_snapshot() override;
	bool still_runnable(const RunnableTask &task) override;

private:
	[[noreturn]] void unloaded(const std::string &why) const
	{
		throw BackendError("the BPF tracer was unloaded while lottery was running (" +
				   why + "): " + bpf_load_hint);
	}

	std::string pin_dir_;
	TraceMaps maps_;
	ino_t runnable_inode_;
	RunnableMapReader reader_;
	std::uint64_t misses_seen_; // the misses count as of the previous snapshot
};

Snapshot BpfSource::take_snapshot()
{
	// Our fds keep the maps alive after an unload, but nothing updates them.
	const std::string runnable_path = pin_dir_ + "/" SCHED_TRACE_RUNNABLE_MAP;
	struct stat pin;
	if (stat(runnable_path.c_str(), &pin))
		unloaded(runnable_path + " is gone");
	if (pin.st_ino != runnable_inode_)
		unloaded(runnable_path + " was pinned anew");

	Snapshot snapshot;
	try {
		auto records = reader_.read();
		snapshot.taken_ns = monotonic_ns();
		// The tracer could not hold the tasks it counted as misses since
		// the previous snapshot; older misses are history, kept apart.
		snapshot.misses_since_load = read_miss_count(maps_.misses.get());
		snapshot.lost_tasks = snapshot.misses_since_load -
				      std::min(misses_seen_, snapshot.misses_since_load);
		misses_seen_ = snapshot.misses_since_load;
		// A slot that kept changing hands under the read hid its task.
		snapshot.lost_tasks += reader_.torn();
		// The reading thread itself is runnable: a live tracer always has
		// a runnable record, unless it could not hold the reader's (every
		// slot taken, or a miss since the previous snapshot, which only a
		// live tracer counts).
		if (records.empty() && snapshot.lost_tasks == 0 && reader_.slots_used() < maps_.capacity)
			unloaded(runnable_path + " holds no runnable task: nothing is tracing");
		snapshot.tasks.reserve(records.size());
		// Decoded in place: a round reads every used slot.
		for (const struct lottery_task &record : records) {
			RunnableTask &task = snapshot.tasks.emplace_back();
			// A refused record hides a task as surely as a full map.
			if (!decode_task_record_into(record, task, nullptr)) {
				snapshot.tasks.pop_back();
				snapshot.lost_tasks++;
			}
		}
	} catch (const BpfObjectError &error) {
		throw BackendError(error.what());
	}
	return snapshot;
}

bool BpfSource::still_runnable(const RunnableTask &task)
{
	// A thread id works in /proc/PID/stat too; a task that is gone reads
	// as not runnable.
	auto stat = read_proc_stat_of(task.pid);
	if (stat && stat->state == 'R')
		return true;
	// Mark the record asleep only if the tracer has not refreshed it since
	// our snapshot: a task woken meanwhile keeps its fresh one.
	auto records = reader_.last_read();
	for (std::size_t i = 0; i < records.size(); i++)
		if (records[i].pid == __u32(task.pid) && records[i].last_seen_ns == task.last_seen_ns)
			reader_.mark_asleep(reader_.slots()[i], records[i]);
	return false;
}

} // namespace

std::unique_ptr<SnapshotSource> open_bpf_source(const std::string &pin_dir_option)
{
	const std::string pin_dir = pin_dir_option.empty() ? SCHED_TRACE_PIN_DIR : pin_dir_option;

	if (!may_use_bpf())
		throw BackendError("the bpf backend needs root (CAP_BPF)");
	require_pin_dir(pin_dir);
	if (access((pin_dir + "/" SCHED_TRACE_SNAPSHOT_ITER).c_str(), F_OK) == 0)
		throw BackendError("the BPF tracer at " + pin_dir +
				   " is loaded in iter mode, which keeps no maps: use --backend iter, "
				   "or 'sudo lottery-tracer load --mode trace'");

	try {
		TraceMaps maps = open_trace_maps(pin_dir);
		struct stat runnable;
		if (stat((pin_dir + "/" SCHED_TRACE_RUNNABLE_MAP).c_str(), &runnable))
			throw BpfObjectError(errno, pin_dir + "/" SCHED_TRACE_RUNNABLE_MAP);
		return std::make_unique<BpfSource>(pin_dir, std::move(maps), runnable.st_ino);
	} catch (const MapLayoutError &error) {
		throw BackendError(std::string(error.what()) +
				   ": reload the tracer with this version");
	} catch (const BpfObjectError &error) {
		if (error.code() == std::errc::no_such_file_or_directory && !holds_a_map(pin_dir))
			throw BackendError(std::string("the BPF tracer is not loaded: ") + bpf_load_hint);
		if (error.code() == std::errc::no_such_file_or_directory)
			throw BackendError("the BPF tracer is only partly loaded (" +
					   error.object() + " is missing): " + bpf_load_hint);
		if (error.code() == std::errc::operation_not_permitted ||
		    error.code() == std::errc::permission_denied)
			throw BackendError("the bpf backend needs root (CAP_BPF)");
		throw BackendError(error.what());
	}
}

} // namespace lottery
