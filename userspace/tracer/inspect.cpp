// SPDX-License-Identifier: MIT
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include <dirent.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bpf_map_reader.h"
#include "sched_trace.skel.h"
#include "snapshot_parser.h"
#include "tracer.h"
#include "user_path.h"

namespace lottery::tracer {

namespace {

std::vector<std::string> pinned_names(const std::string &dir)
{
	std::vector<std::string> names;
	DIR *stream = opendir(dir.c_str());

	if (!stream)
		return names;
	while (struct dirent *entry = readdir(stream))
		if (entry->d_name[0] != '.')
			names.emplace_back(entry->d_name);
	closedir(stream);
	std::sort(names.begin(), names.end());
	return names;
}

LinkState link_state(const std::string &dir, const std::string &name)
{
	LinkState state;
	struct bpf_link_info link = {};
	struct bpf_prog_info prog = {};
	__u32 length = sizeof(link);

	state.name = name;
	UniqueFd link_fd = open_pinned_object(dir + "/" + name);
	if (bpf_obj_get_info_by_fd(link_fd.get(), &link, &length))
		throw BpfObjectError(errno, dir + "/" + name);
	state.link_id = link.id;
	state.prog_id = link.prog_id;

	UniqueFd prog_fd(bpf_prog_get_fd_by_id(link.prog_id));
	length = sizeof(prog);
	if (prog_fd.get() < 0 || bpf_obj_get_info_by_fd(prog_fd.get(), &prog, &length))
		throw BpfObjectError(errno, "program " + std::to_string(link.prog_id));
	state.prog_name = prog.name;
	state.run_count = prog.run_cnt;
	state.run_time_ns = prog.run_time_ns;
	return state;
}

// One read of the pinned iterator, as the iter backend does it: the
// runnable tasks now. Throws TracerError when it cannot be read or parsed.
std::uint64_t runnable_now(const std::string &path)
{
	std::vector<std::byte> bytes;
	int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		throw TracerError("opening " + path, errno);
	for (;;) {
		constexpr std::size_t chunk = 64 * 1024;
		std::size_t used = bytes.size();
		bytes.resize(used + chunk);
		ssize_t n = read(fd, bytes.data() + used, chunk);
		bytes.resize(used + (n > 0 ? n : 0));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int error = errno;
			close(fd);
			throw TracerError("reading " + path, error);
		}
		if (n == 0)
			break;
	}
	close(fd);
	try {
		return lottery::parse_snapshot(bytes, "load it again with this version").tasks.size();
	} catch (const lottery::BackendError &error) {
		throw TracerError(path + ": " + error.what());
	}
}

void inspect_iter(const std::string &pin_dir, TracerState &state)
{
	const std::string path = pin_dir + "/" SCHED_TRACE_SNAPSHOT_ITER;

	state.mode = Mode::Iter;
	state.links.push_back(link_state(pin_dir, SCHED_TRACE_SNAPSHOT_ITER));
	state.entries = runnable_now(path);
	state.abi_version = LOTTERY_ABI_VERSION;	// the parser refuses any other
}

} // namespace

const char *mode_name(Mode mode)
{
	return mode == Mode::Iter ? "iter" : "trace";
}

std::vector<std::string> traced_programs()
{
	std::unique_ptr<sched_trace_bpf, void (*)(sched_trace_bpf *)> skel(
		sched_trace_bpf::open(), sched_trace_bpf::destroy);
	std::vector<std::string> names;
	struct bpf_program *prog;

	if (!skel)
		throw TracerError("opening the BPF object", errno);
	bpf_object__for_each_program(prog, skel->obj)
		if (!std::strncmp(bpf_program__section_name(prog), "tp_btf/", 7) ||
		    !std::strncmp(bpf_program__section_name(prog), "fentry/", 7))
			names.emplace_back(bpf_program__name(prog));
	std::sort(names.begin(), names.end());
	return names;
}

TracerState inspect(const std::string &pin_dir)
{
	TracerState state;
	struct stat dir;

	if (stat(pin_dir.c_str(), &dir)) {
		if (errno != ENOENT)
			throw TracerError("reading " + pin_dir, errno);
		return state;
	}
	state.present = true;
	try {
		open_user_path(pin_dir, {PathExpectation::directory, BPF_FS_MAGIC, "bpffs"}, "--pin-dir");
	} catch (const UserPathError &error) {
		state.problem = error.what(); // not a pin directory: nothing to read in it
		return state;
	}
	try {
		if (access((pin_dir + "/" SCHED_TRACE_SNAPSHOT_ITER).c_str(), F_OK) == 0) {
			inspect_iter(pin_dir, state);
			return state;
		}
		TraceMaps maps = open_trace_maps(pin_dir);
		state.abi_version = maps.header.abi_version;
		state.capacity = maps.capacity;
		state.misses = read_miss_count(maps.misses.get());
		RunnableMapReader reader(maps);
		state.entries = reader.read().size();
		state.slots_used = reader.slots_used();

		const std::string links = link_dir(pin_dir);
		std::vector<std::string> pinned = pinned_names(links);
		for (const std::string &name : pinned)
			state.links.push_back(link_state(links, name));
		std::vector<std::string> programs = traced_programs();
		state.follows_uid_changes = pinned == programs;
		std::erase(programs, uid_follower);
		if (!state.follows_uid_changes && pinned != programs)
			state.problem = "the links pinned in " + links +
					" are not the tracepoints of this build";
	} catch (const MapLayoutError &error) {
		state.problem = error.what();
	} catch (const TracerError &error) {
		state.problem = error.what();
	} catch (const BpfObjectError &error) {
		if (error.code() == std::errc::operation_not_permitted ||
		    error.code() == std::errc::permission_denied)
			throw TracerError("reading the tracer's pins needs root", EPERM);
		state.problem = error.what();
	}
	return state;
}

} // namespace lottery::tracer
