// SPDX-License-Identifier: MIT
// --whole-machine: the lottery as the kernel's scheduler for every
// SCHED_NORMAL, SCHED_BATCH and SCHED_IDLE task (sched_ext, no
// SCX_OPS_SWITCH_PARTIAL). No managed set, so no enforced run: statistics
// every interval, the busiest processes in the summary, and whatever ends
// lottery the kernel goes back to its own scheduler (the BPF link closes
// with the process).
#pragma once

#include <iosfwd>

#include "enforced_run.h"

namespace lottery {

// Returns the exit code: 0 after --rounds intervals or a stop signal, 1 when
// the scheduler cannot load or the kernel ejected it, 2 when the tickets
// file cannot be read.
int run_whole_machine(const EnforcedRunConfig &config, std::ostream &out, std::ostream &err);

} // namespace lottery
