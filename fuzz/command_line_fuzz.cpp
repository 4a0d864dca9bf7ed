// SPDX-License-Identifier: MIT
// lottery's command line, one argument per NUL-separated piece of the
// input: parse_cli() either gives options within their documented bounds
// or throws UsageError with one line. Any other exception is a crash.
#include <cstdint>
#include <string>
#include <vector>

#include <linux/types.h>

#include "cli_options.h"
#include "fuzz_checks.h"
#include "lottery_task.h"
#include "option_values.h"

using namespace lottery;

namespace {

std::vector<std::string> split_on_nul(std::string_view input)
{
	std::vector<std::string> args;
	if (input.empty())
		return args;
	for (;;) {
		auto nul = input.find('\0');
		args.emplace_back(input.substr(0, nul));
		if (nul == std::string_view::npos)
			return args;
		input.remove_prefix(nul + 1);
	}
}

void check_bounds(const CliOptions &options)
{
	fuzz::check(options.interval_ms >= 1 && options.interval_ms <= max_interval_ms,
		    "an interval out of bounds");
	fuzz::check(!options.rounds || *options.rounds >= 1, "zero rounds accepted");
	for (auto [pid, tickets] : options.tickets.by_pid)
		fuzz::check(pid > 0 && tickets >= 1 && tickets <= max_override_tickets,
			    "a ticket override out of bounds");
	for (auto pid : options.filter.pids)
		fuzz::check(pid > 0, "a pid below 1 accepted");
	for (const auto &comm : options.filter.comms)
		fuzz::check(!comm.empty() && comm.size() < LOTTERY_COMM_LEN, "a comm no task can have");
	const EnforceOptions &enforce = options.enforce;
	for (unsigned cpu : enforce.cpus)
		fuzz::check(cpu <= max_cpu_number, "a CPU beyond CPU_SETSIZE accepted");
	for (const auto &command : enforce.commands)
		fuzz::check(!command.empty(), "an empty command accepted");
	fuzz::check(enforce.enabled || (enforce.cpus.empty() && !enforce.tickets_file &&
					 enforce.groups.empty() && !enforce.per_user),
		    "an enforcement option accepted without --enforce");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
	std::vector<std::string> args = split_on_nul({reinterpret_cast<const char *>(data), size});
	try {
		CliOptions options = parse_cli(args);
		if (!options.early_exit_text)
			check_bounds(options);
	} catch (const UsageError &error) {
		fuzz::check_one_line(error.what());
	}
	return 0;
}
