// SPDX-License-Identifier: MIT
// The agent's loop: snapshot, candidates, draw, print, sleep; a summary at
// the end however the loop ends.
#pragma once

#include <iosfwd>

#include "cli_options.h"

namespace lottery {

// Returns the process exit code: 0 after the last round or an interrupt,
// 1 when the backend fails. Throws UsageError for options that need the
// system to check (unknown user).
int run_rounds(const CliOptions &options, std::ostream &out, std::ostream &err);

} // namespace lottery
