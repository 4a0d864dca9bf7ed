// SPDX-License-Identifier: MIT
// lottery-tracer COMMAND [OPTIONS]: load, unload or report on the BPF tracer.
#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <getopt.h>

#include <bpf/libbpf.h>

#include "lottery_version.h"
#include "tracer.h"

using namespace lottery::tracer;

namespace {

constexpr const char *usage_text =
	"usage: lottery-tracer load [--mode trace|iter] [--capacity N] [--pin-dir DIR] [--verbose]\n"
	"       lottery-tracer unload [--pin-dir DIR]\n"
	"       lottery-tracer status [--json] [--pin-dir DIR]\n"
	"\n"
	"Loads the BPF side of lottery's bpf backends and pins it under DIR\n"
	"(default " SCHED_TRACE_PIN_DIR "), so that it stays after this program\n"
	"exits. load and unload are idempotent and need root.\n"
	"\n"
	"  --mode iter   a task iterator, read at each round (lottery --backend iter);\n"
	"                nothing runs between rounds (the default)\n"
	"  --mode trace  tracepoints keep a record of each thread, runnable or asleep,\n"
	"                on every wakeup and context switch (lottery --backend bpf)\n"
	"  --capacity N  trace mode (implied without --mode): threads the records can\n"
	"                hold (default 32768); tasks beyond it are counted as misses\n"
	"  --pin-dir DIR where to pin, on a bpffs (default " SCHED_TRACE_PIN_DIR ")\n"
	"  --json        status as one JSON object\n"
	"  --verbose     show libbpf's log\n"
	"\n"
	"status exits 0 when loaded, 3 when not loaded, 1 when broken.\n";


int libbpf_log(enum libbpf_print_level, const char *format, va_list args)
{
	return std::vfprintf(stderr, format, args);
}

[[noreturn]] void usage_error(const std::string &what)
{
	std::fprintf(stderr, "lottery-tracer: %s\n%s", what.c_str(), usage_text);
	std::exit(exit_usage);
}

Options parse_options(const std::string &command, int argc, char **argv)
{
	enum { opt_capacity = 256, opt_pin_dir, opt_json, opt_mode };
	static const struct option long_options[] = {
		{"mode", required_argument, nullptr, opt_mode},
		{"capacity", required_argument, nullptr, opt_capacity},
		{"pin-dir", required_argument, nullptr, opt_pin_dir},
		{"json", no_argument, nullptr, opt_json},
		{"verbose", no_argument, nullptr, 'v'},
		{},
	};
	Options options;
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "v", long_options, nullptr)) != -1) {
		char *end;
		switch (opt) {
		case opt_capacity:
			if (command != "load")
				usage_error("--capacity is an option of load");
			errno = 0;
			options.capacity = std::strtoul(optarg, &end, 10);
			if (errno || *end || !*optarg || optarg[0] == '-' || options.capacity == 0 ||
			    options.capacity > pid_max_limit)
				usage_error(std::string("--capacity ") + optarg +
					    ": expected a number of tasks from 1 to 4194304");
			options.capacity_given = true;
			break;
		case opt_mode:
			if (command != "load")
				usage_error("--mode is an option of load");
			options.mode_given = true;
			if (!std::strcmp(optarg, "iter"))
				options.mode = Mode::Iter;
			else if (!std::strcmp(optarg, "trace"))
				options.mode = Mode::Trace;
			else
				usage_error(std::string("--mode ") + optarg + ": expected trace or iter");
			break;
		case opt_pin_dir:
			options.pin_dir = optarg;
			while (options.pin_dir.size() > 1 && options.pin_dir.back() == '/')
				options.pin_dir.pop_back();
			if (options.pin_dir.empty() || options.pin_dir[0] != '/' ||
			    options.pin_dir.size() == 1)
				usage_error(std::string("--pin-dir ") + optarg +
					    ": expected an absolute path on a bpffs");
			break;
		case opt_json:
			if (command != "status")
				usage_error("--json is an option of status");
			options.json = true;
			break;
		case 'v':
			options.verbose = true;
			break;
		default:
			usage_error(std::string("unknown option ") + argv[optind - 1]);
		}
	}
	if (optind < argc)
		usage_error(std::string("unexpected argument ") + argv[optind]);
	if (options.capacity_given && !options.mode_given)
		options.mode = Mode::Trace;
	if (options.capacity_given && options.mode == Mode::Iter)
		usage_error("--capacity is for --mode trace: the iterator keeps no map");
	return options;
}

} // namespace

int main(int argc, char **argv)
{
	if (argc < 2)
		usage_error("no command given");
	const std::string command = argv[1];
	if (command == "--help" || command == "-h") {
		std::fputs(usage_text, stdout);
		return exit_ok;
	}
	if (command == "--version") {
		std::printf("lottery-tracer %s (ABI %d)\n", LOTTERY_VERSION_STRING, LOTTERY_ABI_VERSION);
		return exit_ok;
	}
	Options options = parse_options(command, argc - 1, argv + 1);
	libbpf_set_print(options.verbose ? libbpf_log : nullptr);

	try {
		if (command == "load")
			return load(options);
		if (command == "unload")
			return unload(options);
		if (command == "status")
			return status(options);
	} catch (const std::exception &error) {
		std::fprintf(stderr, "lottery-tracer: %s\n", error.what());
		return exit_failure;
	}
	usage_error("unknown command '" + command + "'");
}
