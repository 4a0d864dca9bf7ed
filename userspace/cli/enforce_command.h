// SPDX-License-Identifier: MIT
// --enforce and `lottery run` on the command line: the options checked
// against the system and handed to the enforced run (enforce/enforced_run.h).
#pragma once

#include <iosfwd>

#include "cli_options.h"

namespace lottery {

// run_enforced()'s exit code. Throws UsageError for options the system
// refutes (CPUs that do not exist) or that contradict each other (a --pid
// in no --group).
int run_enforced_command(const CliOptions &options, std::ostream &out, std::ostream &err);

} // namespace lottery
