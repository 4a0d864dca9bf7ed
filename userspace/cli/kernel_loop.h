// SPDX-License-Identifier: MIT
// --mechanism kernel: the lottery becomes the kernel's CPU scheduler
// (sched_ext, bpf/lottery_scx.bpf.c), for the whole machine
// (--whole-machine) or for a managed set switched to SCHED_EXT (--pid,
// --spawned, lottery run). The loop prints statistics every interval and
// the summary at the end; whatever ends it, the kernel goes back to its
// own scheduler (the BPF link closes with the process) and the guardian
// puts the managed set's policies back.
#pragma once

#include <iosfwd>

#include "cli_options.h"

namespace lottery {

// Whether --mechanism (auto: when the kernel has /sys/kernel/sched_ext)
// resolves to the kernel scheduler.
bool use_kernel_mechanism(const CliOptions &options);

// Returns the exit code: 0 after --rounds intervals or a stop signal, 1 when
// the scheduler cannot load or the kernel ejected it, 2 when a named process
// cannot be managed, 127 when a command cannot run; with `lottery run` whose
// commands all ended, the first command's exit code.
int run_kernel_scheduler(const CliOptions &options, std::ostream &out, std::ostream &err);

} // namespace lottery
