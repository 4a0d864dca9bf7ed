// SPDX-License-Identifier: MIT
// The command line of `lottery`, parsed into plain values. Parsing does no
// I/O beyond what --help/--version print, so it can be fuzzed.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "candidates.h"
#include "groups.h"
#include "lottery.h"
#include "snapshot_source.h"
#include "tickets.h"

namespace lottery {

// Bad arguments: printed as "lottery: <what>" with a usage hint, exit 2.
class UsageError : public std::runtime_error {
	using std::runtime_error::runtime_error;
};

inline constexpr std::uint64_t default_interval_ms = 500;
inline constexpr std::uint64_t max_interval_ms = 3600 * 1000; // an hour

// --enforce and `lottery run`: the decisions take effect on a managed set
// of processes (see doc/enforcement.md).
struct EnforceOptions {
	bool enabled = false;
	std::vector<unsigned> cpus;		   // empty: the first CPU the agent may use
	std::optional<std::string> spawned_state;  // --spawned[=FILE]; empty: lottery-spawn's
	std::optional<std::string> tickets_file;   // reread on SIGHUP
	bool per_user = false;
	bool compensation = true; // --no-compensation turns it off, for comparison
	std::vector<TaskGroup> groups;
	std::vector<std::vector<std::string>> commands; // lottery run -- COMMAND... [-- COMMAND...]
	std::vector<std::uint64_t> command_tickets;	// `--tickets N` in run, in command order
};

struct CliOptions {
	BackendKind backend = BackendKind::Auto;
	BackendOptions backend_options;
	std::uint64_t interval_ms = default_interval_ms;
	std::optional<std::uint64_t> rounds; // none: until interrupted
	std::optional<std::uint64_t> seed;   // none: from the clock, and printed
	Policy policy = Policy::Lottery;
	bool debug = false;
	bool json = false;
	CandidateFilter filter;
	std::vector<std::string> users; // names or uids, resolved by the caller
	TicketOverrides tickets;
	EnforceOptions enforce; // filter.pids are the managed processes then
	// Set when --help or --version asked for text instead of a run.
	std::optional<std::string> early_exit_text;
};

// Throws UsageError.
CliOptions parse_cli(const std::vector<std::string> &args);

} // namespace lottery
