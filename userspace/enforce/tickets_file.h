// SPDX-License-Identifier: MIT
// The tickets file (`--tickets-file FILE`, reread on SIGHUP): ticket
// changes at run time without restarting the agent. One `PID TICKETS` per
// line; '#' starts a comment; blank lines are fine. Parsed without I/O so
// that it can be fuzzed.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "tickets.h"

namespace lottery {

// Files larger than this are refused before they are read.
inline constexpr std::size_t max_tickets_file_bytes = 1 << 20;

// All or nothing: on any bad line nullopt and, when error is not null,
// "line N: <why>". PID and TICKETS follow `--tickets PID=N`'s bounds; a
// PID named twice is an error (which of the two was meant?).
std::optional<TicketOverrides> parse_tickets_file(std::string_view text, std::string *error);

} // namespace lottery
