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
#include "enforce_options.h"
#include "groups.h"
#include "scheduler.h"
#include "snapshot_source.h"
#include "tickets.h"

namespace lottery {

// Bad arguments: printed as "lottery: <what>" with a usage hint, exit 2.
class UsageError : public std::runtime_error {
	using std::runtime_error::runtime_error;
};

inline constexpr std::uint64_t default_interval_ms = 500;
inline constexpr std::uint64_t max_interval_ms = 3600 * 1000; // an hour

struct CliOptions {
	BackendKind backend = BackendKind::Auto;
	BackendOptions backend_options;
	std::uint64_t interval_ms = default_interval_ms;
	std::optional<std::uint64_t> rounds; // none: until interrupted
	std::optional<std::uint64_t> seed;   // none: from the clock, and printed
	DrawPolicy draw_policy = DrawPolicy::Lottery;
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
