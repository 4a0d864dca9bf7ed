// SPDX-License-Identifier: MIT
#include "tracer_fixture.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <optional>
#include <stdexcept>

#include <dirent.h>
#include <unistd.h>

#include "bpf_map_reader.h"
#include "task_processes.h"

namespace lottery::testing {

namespace {

constexpr const char *bpffs = "/sys/fs/bpf";
constexpr const char *test_prefix = "lottery_test_";

// The pid that ends a lottery_test_<name>_<pid> directory name, or 0.
pid_t owner_of(const std::string &name)
{
	auto underscore = name.find_last_of('_');
	if (name.rfind(test_prefix, 0) != 0 || underscore == std::string::npos ||
	    underscore + 1 == name.size() ||
	    name.find_first_not_of("0123456789", underscore + 1) != std::string::npos)
		return 0;
	return std::stoi(name.substr(underscore + 1));
}

} // namespace

const std::string &tracer_path()
{
	static const std::string path =
		program_path("LOTTERY_TRACER", "lottery-tracer", LOTTERY_TRACER_PATH);
	return path;
}

CommandResult run_tracer(const std::vector<std::string> &args)
{
	std::vector<std::string> argv{tracer_path()};
	argv.insert(argv.end(), args.begin(), args.end());
	return run_command(argv);
}

std::string test_pin_dir(const std::string &name)
{
	return std::string(bpffs) + "/" + test_prefix + name + "_" + std::to_string(getpid());
}

void remove_stale_test_pins()
{
	DIR *dir = opendir(bpffs);
	std::vector<std::string> stale;

	if (!dir)
		return;
	while (struct dirent *entry = readdir(dir)) {
		pid_t owner = owner_of(entry->d_name);
		if (owner > 0 && kill(owner, 0) < 0 && errno == ESRCH)
			stale.push_back(std::string(bpffs) + "/" + entry->d_name);
	}
	closedir(dir);
	for (const std::string &pin_dir : stale)
		run_tracer({"unload", "--pin-dir", pin_dir});
}

ScopedTracer::ScopedTracer(const std::string &name, const std::vector<std::string> &extra_args)
	: pin_dir_(test_pin_dir(name))
{
	remove_stale_test_pins();
	auto mode = std::find(extra_args.begin(), extra_args.end(), "--mode");
	if (mode != extra_args.end() && mode + 1 != extra_args.end())
		mode_ = *(mode + 1);
	load_result_ = run("load", extra_args);
}

ScopedTracer::~ScopedTracer()
{
	run("unload");
}

CommandResult ScopedTracer::run(const std::string &command, const std::vector<std::string> &args) const
{
	std::vector<std::string> argv{command, "--pin-dir", pin_dir_};
	argv.insert(argv.end(), args.begin(), args.end());
	if (command == "load" && std::find(args.begin(), args.end(), "--mode") == args.end())
		argv.insert(argv.end(), {"--mode", mode_});
	return run_tracer(argv);
}

__u32 ScopedTracer::inject(const struct lottery_task &record, __u32 state) const
{
	TraceMaps maps = open_trace_maps(pin_dir_);
	std::optional<__u32> slot =
		add_slot(map_slots(maps, true), map_usage(maps, true), maps.capacity, record, state);
	if (!slot)
		throw std::runtime_error("no free slot in " + pin_dir_);
	return *slot;
}

__u32 ScopedTracer::slot_state(__u32 slot) const
{
	TraceMaps maps = open_trace_maps(pin_dir_);
	MapMapping slots = map_slots(maps, false);
	return std::atomic_ref<__u32>(static_cast<struct sched_trace_slot *>(slots.data())[slot].state).load();
}

} // namespace lottery::testing
