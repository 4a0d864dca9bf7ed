// SPDX-License-Identifier: MIT
// Which kernel-side source the conformance tests run against, so that the
// same assertions run against each backend:
//   LOTTERY_TEST_BACKEND=bpf|iter|chardev  (default bpf)
//   LOTTERY_TEST_NO_LOAD=1            use what is loaded already: the tracer
//                                     or iterator at LOTTERY_TEST_PIN_DIR (default
//                                     /sys/fs/bpf/sched_trace), the module's
//                                     LOTTERY_TEST_DEVICE (default /dev/lottery)
// Without LOTTERY_TEST_NO_LOAD the bpf and iter backends load a tracer of
// their own (in trace or iter mode) for the test process; chardev always expects lottery.ko to be loaded already.
#pragma once

#include <memory>
#include <string>

#include "snapshot_source.h"

namespace lottery::testing {

// Registers the GoogleTest environment that loads and unloads the tracer.
void install_backend_environment();

const char *backend_under_test_name();
std::unique_ptr<SnapshotSource> open_backend_under_test();

} // namespace lottery::testing
