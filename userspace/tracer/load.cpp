// SPDX-License-Identifier: MIT
// `lottery-tracer load` and `unload`. A load pins everything in a staging
// directory and renames it into place only once it works (the map seeded,
// the iterator pinned), so a failure at any step removes what it made and
// changes nothing; a load in the other mode replaces the loaded one.
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "sched_iter.skel.h"
#include "sched_trace.skel.h"
#include "small_file.h"
#include "tracer.h"

namespace lottery::tracer {

namespace {

using Skeleton = std::unique_ptr<sched_trace_bpf, void (*)(sched_trace_bpf *)>;
using IterSkeleton = std::unique_ptr<sched_iter_bpf, void (*)(sched_iter_bpf *)>;

// libbpf returns -errno and sets errno; both ways are covered here.
int check(int rc, const std::string &what)
{
	if (rc < 0)
		throw TracerError(what + " (--verbose shows libbpf's log)", -rc);
	return rc;
}

// The most pids there can be now: the slot index has an entry for each. The
// limit when pid_max cannot be read: enough whatever it says.
__u32 pid_max()
{
	std::optional<std::string> text = read_small_file(AT_FDCWD, "/proc/sys/kernel/pid_max");
	unsigned long value = text ? std::strtoul(text->c_str(), nullptr, 10) : 0;
	return static_cast<__u32>(value == 0 || value > pid_max_limit ? pid_max_limit : value);
}

void write_info(sched_trace_bpf *skel)
{
	struct sched_trace_info header = {
		.magic = SCHED_TRACE_INFO_MAGIC,
		.abi_version = LOTTERY_ABI_VERSION,
		.record_size = sizeof(struct lottery_task),
		.capacity = bpf_map__max_entries(skel->maps.runnable),
		.slot_size = sizeof(struct sched_trace_slot),
		.reserved = 0,
	};
	__u32 zero = 0;
	int fd = bpf_map__fd(skel->maps.info);

	check(bpf_map_update_elem(fd, &zero, &header, BPF_ANY), "writing the info map");
	check(bpf_map_freeze(fd), "freezing the info map");
}

void pin_everything(sched_trace_bpf *skel, const std::string &dir)
{
	struct bpf_map *maps[] = {skel->maps.runnable, skel->maps.usage, skel->maps.misses,
				  skel->maps.info};
	const struct bpf_object_skeleton *objects = skel->skeleton;

	if (mkdir(dir.c_str(), 0700) || mkdir(link_dir(dir).c_str(), 0700))
		throw TracerError("creating " + dir, errno);
	for (struct bpf_map *map : maps)
		check(bpf_map__pin(map, (dir + "/" + bpf_map__name(map)).c_str()),
		      std::string("pinning map ") + bpf_map__name(map));
	// A pinned link keeps its program attached after the loader exits.
	for (int i = 0; i < objects->prog_cnt; i++) {
		struct bpf_link *link = *objects->progs[i].link;
		const std::string name = objects->progs[i].name;
		if (link)	// not the iterator, which is run once and let go
			check(bpf_link__pin(link, (link_dir(dir) + "/" + name).c_str()),
			      "pinning the link of " + name);
	}
}

// Runs the iter/task program once, so that tasks which were runnable before
// the tracepoints were attached are in the map too.
void seed_runnable_tasks(sched_trace_bpf *skel)
{
	struct bpf_link *iter = bpf_program__attach_iter(skel->progs.seed_runnable, nullptr);
	if (!iter)
		check(-errno, "attaching the seeding iterator");
	int fd = bpf_iter_create(bpf_link__fd(iter));
	int error = fd < 0 ? errno : 0;
	char buffer[256];
	ssize_t n = 0;

	while (fd >= 0 && (n = read(fd, buffer, sizeof(buffer))) > 0)
		;
	if (n < 0)
		error = errno;
	if (fd >= 0)
		close(fd);
	bpf_link__destroy(iter);
	if (error)
		throw TracerError("seeding the runnable records", error);
}

void clear_leftovers(const std::string &pin_dir)
{
	for (const std::string &stale : stale_staging_dirs(pin_dir))
		remove_pin_tree(stale);
}

// Pins with `pin` into a staging directory, then renames it over the pin
// directory. Until the rename the old tracer (if any) still works: a failure
// leaves it as it was.
void pin_in_place(const Options &options, const TracerState &old,
		  const std::function<void(const std::string &)> &pin)
{
	const std::string staging = staging_dir(options.pin_dir);
	try {
		pin(staging);
		if (old.present) {
			std::printf("lottery-tracer: replacing the tracer at %s (%s)\n",
				    options.pin_dir.c_str(),
				    !old.problem.empty()	 ? old.problem.c_str()
				    : old.mode != options.mode ? "another mode"
							       : "new capacity");
			remove_pin_tree(options.pin_dir);
		}
		if (rename(staging.c_str(), options.pin_dir.c_str()))
			throw TracerError("renaming " + staging + " to " + options.pin_dir, errno);
	} catch (...) {
		try {
			remove_pin_tree(staging);
		} catch (const TracerError &cleanup) {	// the first failure is the one to report
			std::fprintf(stderr, "lottery-tracer: %s\n", cleanup.what());
		}
		throw;
	}
}

// The tracer's object, opened and sized for `options`.
Skeleton open_trace(const Options &options, bool follow_commit_creds)
{
	Skeleton skel(sched_trace_bpf::open(), sched_trace_bpf::destroy);
	if (!skel)
		check(-errno, "opening the BPF object");
	check(bpf_map__set_max_entries(skel->maps.runnable, options.capacity), "setting the capacity");
	check(bpf_map__set_max_entries(skel->maps.free_slots, options.capacity), "setting the capacity");
	skel->rodata->capacity = options.capacity;
	// Sixteen pids to an element (bpf/sched_trace.bpf.c).
	const __u32 pids_per_element = bpf_map__value_size(skel->maps.slot_of) / sizeof(__u32);
	check(bpf_map__set_max_entries(skel->maps.slot_of, (pid_max() + pids_per_element - 1) / pids_per_element),
	      "sizing the slot index");
	bpf_program__set_autoattach(skel->progs.seed_runnable, false);
	bpf_program__set_autoload(skel->progs.commit_creds, follow_commit_creds);
	skel->rodata->uid_at_switch = !follow_commit_creds;
	return skel;
}

void load_trace(const Options &options, const TracerState &old)
{
	Skeleton skel = open_trace(options, true);
	if (sched_trace_bpf::load(skel.get())) {
		// A kernel without fentry (no ftrace) refuses commit_creds'
		// program only: load again reading the uid at each switch.
		skel = open_trace(options, false);
		check(sched_trace_bpf::load(skel.get()), "loading the BPF programs");
	}
	write_info(skel.get());
	check(sched_trace_bpf::attach(skel.get()), "attaching the tracepoints");
	pin_in_place(options, old, [&](const std::string &staging) {
		pin_everything(skel.get(), staging);
		seed_runnable_tasks(skel.get());
	});
	TracerState loaded = inspect(options.pin_dir);
	std::printf("lottery-tracer: loaded at %s (trace mode): %zu programs attached, capacity %u, "
		    "%llu runnable tasks\n",
		    options.pin_dir.c_str(), loaded.links.size(), loaded.capacity,
		    (unsigned long long)loaded.entries);
}

// Nothing runs until someone reads the pinned iterator: no tracepoint, no map.
void load_iter(const Options &options, const TracerState &old)
{
	IterSkeleton skel(sched_iter_bpf::open_and_load(), sched_iter_bpf::destroy);
	if (!skel)
		check(-errno, "loading the BPF iterator");
	skel->links.runnable_snapshot = bpf_program__attach_iter(skel->progs.runnable_snapshot, nullptr);
	if (!skel->links.runnable_snapshot)
		check(-errno, "attaching the task iterator");
	pin_in_place(options, old, [&](const std::string &staging) {
		if (mkdir(staging.c_str(), 0700))
			throw TracerError("creating " + staging, errno);
		check(bpf_link__pin(skel->links.runnable_snapshot,
				    (staging + "/" SCHED_TRACE_SNAPSHOT_ITER).c_str()),
		      "pinning the task iterator");
		// One read through the pin, as the iter backend will do it.
		TracerState staged = inspect(staging);
		if (!staged.problem.empty())
			throw TracerError("the iterator loaded but cannot be read: " + staged.problem);
	});
	TracerState loaded = inspect(options.pin_dir);
	std::printf("lottery-tracer: loaded at %s (iter mode): %llu runnable tasks now\n",
		    options.pin_dir.c_str(), (unsigned long long)loaded.entries);
}

} // namespace

int load(const Options &options)
{
	require_root("loading the tracer");
	ensure_bpffs(options.pin_dir);
	PinDirLock lock(options.pin_dir);

	clear_leftovers(options.pin_dir);
	TracerState old = inspect(options.pin_dir);
	if (old.present && old.problem.empty() && old.mode == options.mode &&
	    (options.mode == Mode::Iter || !options.capacity_given || old.capacity == options.capacity)) {
		std::printf("lottery-tracer: already loaded at %s (%s mode)\n", options.pin_dir.c_str(),
			    mode_name(old.mode));
		return exit_ok;
	}
	if (options.mode == Mode::Iter)
		load_iter(options, old);
	else
		load_trace(options, old);
	return exit_ok;
}

int unload(const Options &options)
{
	require_root("unloading the tracer");
	if (!bpffs_mounted_for(options.pin_dir)) {
		std::printf("lottery-tracer: not loaded (no bpffs under %s)\n", options.pin_dir.c_str());
		return exit_ok;
	}
	PinDirLock lock(options.pin_dir);
	clear_leftovers(options.pin_dir);
	struct stat dir;
	if (stat(options.pin_dir.c_str(), &dir) && errno == ENOENT) {
		std::printf("lottery-tracer: not loaded (nothing at %s)\n", options.pin_dir.c_str());
		return exit_ok;
	}
	remove_pin_tree(options.pin_dir);
	std::printf("lottery-tracer: unloaded from %s\n", options.pin_dir.c_str());
	return exit_ok;
}

} // namespace lottery::tracer
