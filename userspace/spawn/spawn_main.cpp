// SPDX-License-Identifier: MIT
// lottery-spawn: start (or stop) a workload of cpu_task busy loops at nice
// values spread over a range, for lottery to draw among.
#include <climits>
#include <iostream>
#include <unistd.h>

#include <boost/program_options.hpp>

#include "command_line.h"
#include "lottery_version.h"
#include "workload.h"

namespace po = boost::program_options;
using namespace lottery;

namespace {

struct UsageError : std::runtime_error {
	using std::runtime_error::runtime_error;
};

// cpu_task is installed beside us (build tree) or in ../lib/lottery.
std::string find_cpu_task()
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		std::string dir(self, n);
		dir.erase(dir.rfind('/'));
		for (const std::string &candidate : {dir + "/cpu_task", dir + "/../lib/lottery/cpu_task"})
			if (access(candidate.c_str(), X_OK) == 0)
				return candidate;
	}
	return "cpu_task";
}

// Boost takes "-5" for an option, but "--min -5" is how people write a range.
std::vector<std::string> join_negative_values(int argc, char **argv)
{
	std::vector<std::string> args;
	for (int i = 1; i < argc; i++) {
		std::string arg = argv[i];
		bool takes_number = arg == "--min" || arg == "--max";
		if (takes_number && i + 1 < argc && argv[i + 1][0] == '-')
			arg += std::string("=") + argv[++i];
		args.push_back(arg);
	}
	return args;
}

int run(int argc, char **argv)
{
	po::options_description opts("Options");
	// clang-format off
	opts.add_options()
		("count", po::value<int>()->default_value(5), "how many tasks (1 to 1024)")
		("min", po::value<int>()->default_value(-5), "lowest nice value (-20 to 19)")
		("max", po::value<int>()->default_value(5), "highest nice value (-20 to 19)")
		("duration", po::value<double>()->default_value(0),
		 "seconds after which the tasks stop by themselves (default: run until --stop)")
		("stop", "stop the tasks started earlier, and only those")
		("task", po::value<std::string>(), "the busy-loop program (default: cpu_task)")
		("state", po::value<std::string>(), "where started tasks are remembered")
		("help,h", "show this help")
		("version,V", "show the version");
	// clang-format on
	po::variables_map vm;
	try {
		parse_command_line(join_negative_values(argc, argv), opts, {}, vm);
	} catch (const CommandLineError &e) {
		throw UsageError(e.what());
	}
	if (vm.count("help")) {
		std::cout << "usage: lottery-spawn [--count N] [--min NICE] [--max NICE] "
			     "[--duration S] | --stop\n\n"
			  << "Prints \"PID NICE\" for each task it starts.\n\n"
			  << opts;
		return 0;
	}
	if (vm.count("version")) {
		std::cout << "lottery-spawn " << LOTTERY_VERSION_STRING << "\n";
		return 0;
	}
	std::string state =
		vm.count("state") ? vm["state"].as<std::string>() : default_spawn_state_path();
	check_state_path(state);
	if (vm.count("stop")) {
		auto tasks = take_state(state);
		std::cout << "stopped " << stop_workload(tasks) << " of " << tasks.size() << " tasks\n";
		return 0;
	}

	int count = vm["count"].as<int>();
	int min_nice = vm["min"].as<int>();
	int max_nice = vm["max"].as<int>();
	double duration = vm["duration"].as<double>();
	if (count < 1 || count > 1024)
		throw UsageError("--count must be from 1 to 1024");
	if (min_nice < -20 || max_nice > 19 || min_nice > max_nice)
		throw UsageError("need -20 <= --min <= --max <= 19");
	if (!(duration >= 0 && duration <= 86400))
		throw UsageError("--duration must be from 0 to 86400 seconds");

	std::string program = vm.count("task") ? vm["task"].as<std::string>() : find_cpu_task();
	auto tasks = start_workload(program, spread_nice_values(count, min_nice, max_nice), duration);
	try {
		append_state(state, tasks);
	} catch (const WorkloadError &) {
		stop_workload(tasks); // nothing left running that --stop could not find
		throw;
	}
	for (const auto &task : tasks)
		std::cout << task.pid << ' ' << task.nice << '\n';
	return 0;
}

} // namespace

int main(int argc, char **argv)
{
	try {
		return run(argc, argv);
	} catch (const UsageError &e) {
		std::cerr << "lottery-spawn: " << e.what() << " (see 'lottery-spawn --help')\n";
		return 2;
	} catch (const StatePathError &e) {
		std::cerr << "lottery-spawn: " << e.what() << '\n';
		return 2;
	} catch (const WorkloadError &e) {
		std::cerr << "lottery-spawn: " << e.what() << '\n';
		return 1;
	}
}
