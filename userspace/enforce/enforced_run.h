// SPDX-License-Identifier: MIT
// The enforced run (--enforce, lottery run): every period the engine's
// decisions take effect on a managed set through an EnforcementMechanism
// (mechanism.h); at the end, however it comes, everything is put back and
// the summary compares the CPU time each process received with its
// tickets.
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "enforce_options.h"
#include "scheduler.h"
#include "mechanism.h"
#include "snapshot_source.h"
#include "tickets.h"

namespace lottery {

struct EnforcedRunConfig {
	EnforceOptions enforce;
	std::vector<unsigned> cpus;	 // online, at least one (choose_cpus)
	std::vector<std::int32_t> pids; // --pid and the --group members
	TicketOverrides tickets;	 // --tickets
	DrawPolicy draw_policy = DrawPolicy::Lottery;
	std::uint64_t period_ms = 500;
	std::optional<std::uint64_t> rounds; // none: until stopped
	std::optional<std::uint64_t> seed;   // none: from the clock, and printed
	bool json = false;
	bool debug = false;
	BackendKind backend = BackendKind::Auto;
	BackendOptions backend_options;
};

// Returns the exit code: 0 after the last round or a stop signal, 1 when
// the backend or the mechanism fails, 2 when a named process cannot be
// managed or the tickets file cannot be read, 127 when a command cannot
// run, and with `lottery run` whose commands all ended, the first
// command's exit code.
// With the signal mechanism (signal_mechanism.h) on config.cpus.
int run_enforced(const EnforcedRunConfig &config, std::ostream &out, std::ostream &err);

using MechanismFactory = std::function<std::unique_ptr<EnforcementMechanism>()>;

// Another mechanism: made once the named processes are taken on, before
// any command is forked. Without snapshots (the kernel sees who runs), no
// backend is opened.
struct MechanismChoice {
	MechanismFactory make;
	bool needs_snapshots = true;
	// How long restore_all() may take at most, added to the time a stop
	// signal has to end the run before it takes its default action.
	std::uint64_t restore_ms = 0;
};
int run_enforced(const EnforcedRunConfig &config, const MechanismChoice &mechanism,
		 std::ostream &out, std::ostream &err);

} // namespace lottery
