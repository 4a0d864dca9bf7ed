// SPDX-License-Identifier: MIT
// --enforce, `lottery run` and --whole-machine on the command line: the
// options checked against the system and handed to the enforced run
// (enforce/enforced_run.h) with the mechanism --mechanism resolves to
// (signals, or the kernel's: scx/scx_mechanism.h), or to the whole-machine
// run (scx/whole_machine.h).
#pragma once

#include <iosfwd>

#include "cli_options.h"

namespace lottery {

// The run's exit code. Throws UsageError for options the system
// refutes (CPUs that do not exist) or that contradict each other (a --pid
// in no --group).
int run_enforced_command(const CliOptions &options, std::ostream &out, std::ostream &err);

} // namespace lottery
