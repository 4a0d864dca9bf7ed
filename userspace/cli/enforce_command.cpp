// SPDX-License-Identifier: MIT
#include "enforce_command.h"

#include <algorithm>
#include <unistd.h>

#include "enforce_setup.h"
#include "enforced_run.h"
#include "option_values.h"
#include "scx_mechanism.h"
#include "whole_machine.h"

namespace lottery {

namespace {

// The pids --pid and --group name; with groups, each must be in one.
std::vector<std::int32_t> named_pids(const CliOptions &options)
{
	std::vector<std::int32_t> pids = options.filter.pids;
	for (const auto &group : options.enforce.groups)
		pids.insert(pids.end(), group.pids.begin(), group.pids.end());
	for (std::int32_t pid : options.filter.pids) {
		bool grouped = options.enforce.groups.empty();
		for (const auto &group : options.enforce.groups)
			grouped |= std::count(group.pids.begin(), group.pids.end(), pid) > 0;
		if (!grouped)
			throw UsageError("--pid " + std::to_string(pid) +
					 " is in no --group: with groups, name every process in one");
	}
	return pids;
}

// --mechanism auto is the kernel scheduler when the kernel has sched_ext.
bool use_kernel_mechanism(const EnforceOptions &enforce)
{
	switch (enforce.mechanism) {
	case Mechanism::Kernel:
		return true;
	case Mechanism::Signals:
		return false;
	case Mechanism::Auto:
		break;
	}
	return enforce.whole_machine || access("/sys/kernel/sched_ext", F_OK) == 0;
}

} // namespace

int run_enforced_command(const CliOptions &options, std::ostream &out, std::ostream &err)
{
	std::string error;
	auto cpus = choose_cpus(options.enforce.cpus, &error);
	if (!cpus)
		throw UsageError("--cpus " + format_cpu_list(options.enforce.cpus) + ": " + error);

	EnforcedRunConfig config;
	config.enforce = options.enforce;
	config.cpus = *cpus;
	config.pids = named_pids(options);
	config.tickets = options.tickets;
	config.draw_policy = options.draw_policy;
	config.period_ms = options.interval_ms;
	config.rounds = options.rounds;
	config.seed = options.seed;
	config.json = options.json;
	config.debug = options.debug;
	config.backend = options.backend;
	config.backend_options = options.backend_options;
	if (!use_kernel_mechanism(options.enforce))
		return run_enforced(config, out, err);
	if (options.seed)
		throw UsageError("--seed does not apply to the kernel scheduler, whose draws use the "
				 "kernel's random numbers (--mechanism signals takes a seed)");
	return options.enforce.whole_machine ? run_whole_machine(config, out, err)
					     : run_kernel_enforced(config, out, err);
}

} // namespace lottery
