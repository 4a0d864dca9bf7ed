// SPDX-License-Identifier: MIT
#include "cli_options.h"

#include <algorithm>
#include <sstream>

#include <boost/program_options.hpp>

#include "command_line.h"
#include "lottery_version.h"
#include "option_values.h"
#include "text_format.h"

namespace po = boost::program_options;

namespace lottery {

namespace {

const char usage_line[] = "usage: lottery [--backend auto|bpf|iter|chardev] [options] [INTERVAL_MS]\n"
			  "       lottery --enforce --pid PID... [options] [INTERVAL_MS]\n"
			  "       lottery --whole-machine [options] [INTERVAL_MS]\n"
			  "       lottery run [options] [INTERVAL_MS] -- COMMAND [ARGS...] [-- COMMAND...]";

// User input inside a message: in quotes, with control bytes escaped, so
// that the error stays one line whatever was typed.
std::string quoted(const std::string &text)
{
	return "'" + text::printable(text) + "'";
}

BackendKind parse_backend(const std::string &name)
{
	if (name == "auto")
		return BackendKind::Auto;
	if (name == "bpf")
		return BackendKind::Bpf;
	if (name == "iter")
		return BackendKind::Iter;
	if (name == "chardev")
		return BackendKind::Chardev;
	throw UsageError("unknown backend " + quoted(name) + " (expected auto, bpf, iter or chardev)");
}

Mechanism parse_mechanism(const std::string &name)
{
	if (name == "auto")
		return Mechanism::Auto;
	if (name == "kernel")
		return Mechanism::Kernel;
	if (name == "signals")
		return Mechanism::Signals;
	throw UsageError("unknown mechanism " + quoted(name) + " (expected auto, kernel or signals)");
}

DrawPolicy policy_option(const std::string &name)
{
	if (auto policy = parse_draw_policy(name))
		return *policy;
	throw UsageError("unknown policy " + quoted(name) + " (expected lottery or stride)");
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
				 " to " + std::to_string(max) + ", not " + quoted(text));
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
		 "where runnable tasks come from: auto (chardev if /dev/lottery exists, else the mode lottery-tracer loaded), bpf (its trace mode), iter (its iter mode) or chardev")
		("rounds,n", po::value<std::string>()->value_name("N"), "stop after N rounds (default: until Ctrl-C)")
		("seed", po::value<std::string>()->value_name("N"), "seed the draw, for a reproducible run")
		("policy", po::value<std::string>()->default_value("lottery")->value_name("NAME"), "lottery or stride")
		("tickets,t", po::value<std::vector<std::string>>()->composing()->value_name("PID=N"),
		 "PID=N: give task or process PID N tickets instead of its nice weight (repeatable); in lottery run, N alone is for the next command")
		("pid,p", po::value<std::vector<std::string>>()->composing()->value_name("PID"),
		 "only draw among this task or process; with --enforce, a process to manage, all its threads (repeatable)")
		("user,u", po::value<std::vector<std::string>>()->composing()->value_name("USER"),
		 "only draw among tasks of this user name or uid (repeatable)")
		("comm,c", po::value<std::vector<std::string>>()->composing()->value_name("NAME"),
		 "only draw among tasks with this command name (repeatable)")
		("include-kthreads", "let kernel threads take part in the draw")
		("include-realtime", "let real-time and deadline tasks take part in the draw")
		("debug,d", "show the candidate table every round")
		("json,j", "print one JSON object per round, and the summary as JSON")
		("pin-dir", po::value<std::string>()->value_name("DIR"), "bpf and iter backends: where lottery-tracer pinned its maps or iterator")
		("device", po::value<std::string>()->value_name("PATH"), "chardev backend: the device to read")
		("enforce,e", "make the decisions take effect on the managed processes (see --mechanism)")
		("mechanism", po::value<std::string>()->value_name("NAME"),
		 "with --enforce, how: kernel (the lottery is the kernel's CPU scheduler, sched_ext: a draw at every dispatch), signals (the winners run, the others are held with SIGSTOP) or auto (default: kernel if the kernel has sched_ext)")
		("whole-machine", "the kernel scheduler for every task of the machine, not a managed set (sched_ext; implies --enforce)")
		("slice", po::value<std::string>()->value_name("MS"), "with the kernel mechanism, the time slice each draw gives its winner (default 10)")
		("cpus", po::value<std::string>()->value_name("LIST"), "with --enforce, the CPUs the managed processes share, e.g. 0 or 0-1 (default: one CPU); one winner per CPU")
		("spawned", po::value<std::string>()->implicit_value("")->value_name("FILE"), "with --enforce, manage lottery-spawn's workload, from its state file (default: lottery-spawn's own)")
		("tickets-file", po::value<std::string>()->value_name("FILE"), "with --enforce, 'PID TICKETS' lines that override --tickets, reread on SIGHUP")
		("no-compensation", "with --enforce, no compensation tickets for winners that block early (to measure what they do)")
		("per-user", "with --enforce, every user gets an equal share, split among their processes by tickets")
		("group", po::value<std::vector<std::string>>()->composing()->value_name("NAME[:SHARE]=PID,..."),
		 "with --enforce, manage these processes as a group: groups share the CPUs in the ratio of their SHAREs (default 1), split inside by tickets (repeatable)")
		("help,h", "show this help")
		("version,V", "show the version");
	// clang-format on
	return opts;
}

} // namespace

// After `lottery run [options]`, everything past the first "--" is
// commands, separated by further "--".
std::vector<std::vector<std::string>> split_commands(std::vector<std::string> &args)
{
	auto dashes = std::find(args.begin(), args.end(), "--");
	std::vector<std::vector<std::string>> commands;
	if (dashes == args.end())
		throw UsageError("run needs a command: lottery run [options] -- COMMAND [ARGS...]");
	for (auto it = dashes; it != args.end(); ++it) {
		if (*it == "--")
			commands.emplace_back();
		else
			commands.back().push_back(*it);
	}
	args.erase(dashes, args.end());
	for (const auto &command : commands)
		if (command.empty())
			throw UsageError("run: an empty command between '--' separators");
	return commands;
}

// Options that only mean something when the decisions take effect, and
// options that do not apply then; both are refused rather than ignored.
void check_enforce_options(const po::variables_map &vm, const CliOptions &options)
{
	const EnforceOptions &enforce = options.enforce;
	if (!enforce.enabled) {
		for (const char *name : {"cpus", "spawned", "tickets-file", "per-user", "group", "no-compensation",
					 "mechanism", "slice"})
			if (vm.count(name))
				throw UsageError(std::string("--") + name + " needs --enforce (or lottery run)");
		return;
	}
	for (const char *name : {"user", "comm", "include-kthreads"})
		if (vm.count(name))
			throw UsageError(std::string("--") + name +
					 " does not apply with --enforce: name the processes to manage with --pid");
	if (enforce.whole_machine) {
		if (enforce.mechanism == Mechanism::Signals)
			throw UsageError("--whole-machine needs the kernel mechanism: signals only hold a managed set");
		if (!enforce.commands.empty())
			throw UsageError("--whole-machine does not run commands: use lottery run without it");
		for (const char *name : {"pid", "group", "spawned", "cpus", "per-user"})
			if (vm.count(name))
				throw UsageError(std::string("--") + name +
						 " names a managed set: --whole-machine schedules every task");
		return;
	}
	if (enforce.mechanism == Mechanism::Signals && vm.count("slice"))
		throw UsageError("--slice is the kernel scheduler's: signals hold the winners for INTERVAL_MS");
	if (enforce.per_user && !enforce.groups.empty())
		throw UsageError("--per-user and --group are two ways of grouping: choose one");
	if (!enforce.commands.empty() && !enforce.groups.empty())
		throw UsageError("--group names running processes: with lottery run use --per-user or --tickets");
	if (options.filter.pids.empty() && enforce.groups.empty() && !enforce.spawned_state &&
	    enforce.commands.empty())
		throw UsageError("--enforce needs processes to manage: --pid PID, --group, --spawned, "
				 "or lottery run -- COMMAND");
	if (enforce.command_tickets.size() > enforce.commands.size())
		throw UsageError("run: " + std::to_string(enforce.command_tickets.size()) +
				 " --tickets values for " + std::to_string(enforce.commands.size()) +
				 " commands");
}

void parse_enforce_options(const po::variables_map &vm, CliOptions &options)
{
	EnforceOptions &enforce = options.enforce;
	enforce.whole_machine = vm.count("whole-machine");
	enforce.enabled = enforce.enabled || vm.count("enforce") || enforce.whole_machine;
	if (vm.count("mechanism"))
		enforce.mechanism = parse_mechanism(vm["mechanism"].as<std::string>());
	if (vm.count("slice"))
		enforce.slice_ms = parse_count("--slice", vm["slice"].as<std::string>(), 1, max_slice_ms);
	if (vm.count("cpus")) {
		std::string error;
		auto cpus = parse_cpu_list(vm["cpus"].as<std::string>(), &error);
		if (!cpus)
			throw UsageError("--cpus: " + error);
		enforce.cpus = *cpus;
	}
	if (vm.count("spawned"))
		enforce.spawned_state = vm["spawned"].as<std::string>();
	if (vm.count("tickets-file"))
		enforce.tickets_file = vm["tickets-file"].as<std::string>();
	enforce.per_user = vm.count("per-user");
	enforce.compensation = !vm.count("no-compensation");
	if (vm.count("group")) {
		for (const auto &text : vm["group"].as<std::vector<std::string>>()) {
			std::string error;
			auto group = parse_group(text, default_user_funding, &error);
			if (!group)
				throw UsageError("--group: " + error);
			enforce.groups.push_back(*group);
		}
	}
	check_enforce_options(vm, options);
}

CliOptions parse_cli(const std::vector<std::string> &arguments)
{
	std::vector<std::string> args = arguments;
	const bool run = !args.empty() && args.front() == "run";
	std::vector<std::vector<std::string>> commands;
	if (run) {
		args.erase(args.begin());
		commands = split_commands(args);
	}

	po::options_description visible = visible_options();
	po::options_description all;
	all.add(visible).add_options()("interval", po::value<std::vector<std::string>>(), "");
	po::positional_options_description positional;
	positional.add("interval", -1);

	po::variables_map vm;
	try {
		parse_command_line(args, all, positional, vm);
	} catch (const CommandLineError &e) {
		throw UsageError(text::printable(e.what()));
	}

	CliOptions options;
	options.enforce.enabled = run;
	options.enforce.commands = std::move(commands);
	if (vm.count("help")) {
		std::ostringstream text;
		text << usage_line << "\n\n"
		     << "Draws a winner among the machine's runnable tasks every INTERVAL_MS\n"
		     << "milliseconds (default " << default_interval_ms
		     << "), by tickets: by default the kernel's weight\n"
		     << "for each task's nice value. Ctrl-C prints a summary of wins against shares.\n"
		     << "With --enforce (or lottery run) the decisions take effect on the managed\n"
		     << "processes: the kernel itself draws at every dispatch when it has sched_ext\n"
		     << "(--whole-machine: for every task), otherwise the winners run on the CPUs of\n"
		     << "--cpus and the others are held (SIGSTOP). Whatever ends lottery, everything\n"
		     << "is back on the kernel's own scheduler, with its own settings, within a second.\n\n"
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
			throw UsageError("one interval only, got " + quoted(values[1]) + " as well");
		options.interval_ms = parse_count("the interval (ms)", values[0], 1, max_interval_ms);
	}
	options.backend = parse_backend(vm["backend"].as<std::string>());
	options.draw_policy = policy_option(vm["policy"].as<std::string>());
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
			if (run && text.find('=') == std::string::npos) {
				// In run, a bare number is for the next command.
				options.enforce.command_tickets.push_back(
					parse_count("--tickets", text, 1, max_override_tickets));
				continue;
			}
			auto parsed = parse_ticket_override(text, &error);
			if (!parsed)
				throw UsageError("--tickets " + text::printable(text) + ": " + error);
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
				throw UsageError("--comm " + quoted(name) +
						 ": a command name has 1 to 15 characters");
			options.filter.comms.push_back(name);
		}
	}
	parse_enforce_options(vm, options);
	return options;
}

} // namespace lottery
