// SPDX-License-Identifier: MIT
// The enforcing agent's loop (--enforce, lottery run): every quantum the
// winners run on the CPU set and the other managed processes are held; at
// the end, however it comes, everything is put back.
#pragma once

#include <iosfwd>

#include "cli_options.h"

namespace lottery {

// Returns the exit code: 0 after the last round or a stop signal, 1 when
// the backend or the machinery fails, 2 when a named process cannot be
// managed, and with `lottery run` whose commands all ended, the first
// command's exit code. Throws UsageError for options the system refutes
// (CPUs that do not exist).
int run_enforced(const CliOptions &options, std::ostream &out, std::ostream &err);

} // namespace lottery
