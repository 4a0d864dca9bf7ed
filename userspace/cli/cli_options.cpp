// SPDX-License-Identifier: MIT
#include "cli_options.h"

#include <sstream>

#include <boost/program_options.hpp>

#include "lottery_version.h"

namespace po = boost::program_options;

namespace lottery {

namespace {

const char usage_line[] = "usage: lottery [--backend auto|bpf|chardev] [options] [INTERVAL_MS]";

BackendKind parse_backend(const std::string &name)
{
	if (name == "auto")
		return BackendKind::Auto;
	if (name == "bpf")
		return BackendKind::Bpf;
	if (name == "chardev")
		return BackendKind::Chardev;
	throw UsageError("unknown backend '" + name + "' (expected auto, bpf or chardev)");
}

Policy parse_policy(const std::string &name)
{
	if (name == "lottery")
		return Policy::Lottery;
	if (name == "stride")
		return Policy::Stride;
	throw UsageError("unknown policy '" + name + "' (expected lottery or stride)");
}

// Boost accepts "-5" for an unsigned and wraps it; parse by hand instead.
std::uint64_t parse_count(const std::string &what, const std::string &text, std::uint64_t min,
			  std::uint64_t max)
{
	std::uint64_t value = 0;
	bool digits = !text.empty() && text.size() <= 20;
	for (char c : text)
		digits = digits && c >= '0' && c <= '9';
	if (digits) {
		try {
			value = std::stoull(text);
		} catch (const std::out_of_range &) {
			digits = false;
		}
	}
	if (!digits || value < min || value > max)
		throw UsageError(what + " must be a whole number from " + std::to_string(min) +
				 " to " + std::to_string(max) + ", not '" + text + "'");
	return value;
}

std::int32_t parse_pid(const std::string &text)
{
	return static_cast<std::int32_t>(parse_count("--pid", text, 1, 1U << 22));
}

po::options_description visible_options()
{
	po::options_description opts("Options");
	// clang-format off
	opts.add_options()
		("backend,b", po::value<std::string>()->default_value("auto")->value_name("NAME"),
		 "where runnable tasks come from: auto (chardev if /dev/lottery exists, else bpf), bpf or chardev")
		("rounds,n", po::value<std::string>()->value_name("N"), "stop after N rounds (default: until Ctrl-C)")
		("seed", po::value<std::string>()->value_name("N"), "seed the draw, for a reproducible run")
		("policy", po::value<std::string>()->default_value("lottery")->value_name("NAME"), "lottery or stride")
		("tickets,t", po::value<std::vector<std::string>>()->composing()->value_name("PID=N"),
		 "PID=N: give task or process PID N tickets instead of its nice weight (repeatable)")
		("pid,p", po::value<std::vector<std::string>>()->composing()->value_name("PID"),
		 "only draw among this task or process (repeatable)")
		("user,u", po::value<std::vector<std::string>>()->composing()->value_name("USER"),
		 "only draw among tasks of this user name or uid (repeatable)")
		("comm,c", po::value<std::vector<std::string>>()->composing()->value_name("NAME"),
		 "only draw among tasks with this command name (repeatable)")
		("include-kthreads", "let kernel threads take part in the draw")
		("include-realtime", "let real-time and deadline tasks take part in the draw")
		("debug,d", "show the candidate table every round")
		("json,j", "print one JSON object per round, and the summary as JSON")
		("pin-dir", po::value<std::string>()->value_name("DIR"), "bpf backend: where the tracer's maps are pinned")
		("device", po::value<std::string>()->value_name("PATH"), "chardev backend: the device to read")
		("help,h", "show this help")
		("version,V", "show the version");
	// clang-format on
	return opts;
}

} // namespace

CliOptions parse_cli(const std::vector<std::string> &args)
{
	po::options_description visible = visible_options();
	po::options_description all;
	all.add(visible).add_options()("interval", po::value<std::vector<std::string>>(), "");
	po::positional_options_description positional;
	positional.add("interval", -1);

	po::variables_map vm;
	try {
		// No prefix guessing: "--deb" must not silently mean "--debug".
		auto style = po::command_line_style::unix_style &
			     ~po::command_line_style::allow_guessing;
		po::store(po::command_line_parser(args)
				  .options(all)
				  .positional(positional)
				  .style(style)
				  .run(),
			  vm);
		po::notify(vm);
	} catch (const po::error &e) {
		throw UsageError(e.what());
	}

	CliOptions options;
	if (vm.count("help")) {
		std::ostringstream text;
		text << usage_line << "\n\n"
		     << "Draws a winner among the machine's runnable tasks every INTERVAL_MS\n"
		     << "milliseconds (default " << default_interval_ms
		     << "), by tickets: by default the kernel's weight\n"
		     << "for each task's nice value. Ctrl-C prints a summary of wins against shares.\n\n"
		     << visible;
		options.early_exit_text = text.str();
		return options;
	}
	if (vm.count("version")) {
		options.early_exit_text = std::string("lottery ") + LOTTERY_VERSION_STRING + "\n";
		return options;
	}

	if (vm.count("interval")) {
		const auto &values = vm["interval"].as<std::vector<std::string>>();
		if (values.size() > 1)
			throw UsageError("one interval only, got '" + values[1] + "' as well");
		options.interval_ms = parse_count("the interval (ms)", values[0], 1, max_interval_ms);
	}
	options.backend = parse_backend(vm["backend"].as<std::string>());
	options.policy = parse_policy(vm["policy"].as<std::string>());
	if (vm.count("rounds"))
		options.rounds = parse_count("--rounds", vm["rounds"].as<std::string>(), 1, UINT64_MAX);
	if (vm.count("seed"))
		options.seed = parse_count("--seed", vm["seed"].as<std::string>(), 0, UINT64_MAX);
	options.debug = vm.count("debug");
	options.json = vm.count("json");
	options.filter.include_kernel_threads = vm.count("include-kthreads");
	options.filter.include_realtime = vm.count("include-realtime");
	if (vm.count("pin-dir"))
		options.backend_options.bpf_pin_dir = vm["pin-dir"].as<std::string>();
	if (vm.count("device"))
		options.backend_options.chardev_path = vm["device"].as<std::string>();

	if (vm.count("tickets")) {
		for (const auto &text : vm["tickets"].as<std::vector<std::string>>()) {
			std::string error;
			auto parsed = parse_ticket_override(text, &error);
			if (!parsed)
				throw UsageError("--tickets " + text + ": " + error);
			options.tickets.by_pid[parsed->first] = parsed->second;
		}
	}
	if (vm.count("pid"))
		for (const auto &text : vm["pid"].as<std::vector<std::string>>())
			options.filter.pids.push_back(parse_pid(text));
	if (vm.count("user"))
		options.users = vm["user"].as<std::vector<std::string>>();
	if (vm.count("comm")) {
		for (const auto &name : vm["comm"].as<std::vector<std::string>>()) {
			if (name.empty() || name.size() >= 16)
				throw UsageError("--comm '" + name +
						 "': a command name has 1 to 15 characters");
			options.filter.comms.push_back(name);
		}
	}
	return options;
}

} // namespace lottery
