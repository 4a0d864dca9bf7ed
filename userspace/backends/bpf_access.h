// SPDX-License-Identifier: MIT
// What the two BPF backends (bpf: the tracer's maps; iter: the task
// iterator) check before they touch a pin, phrased for the user.
#pragma once

#include <string>

namespace lottery {

// The command that loads either: both live in the same pin directory.
inline constexpr const char *bpf_load_hint =
	"run 'sudo make load-ebpf' or 'sudo lottery-tracer load'";

// CAP_BPF (5.8) or, before it and as a superset, CAP_SYS_ADMIN.
bool may_use_bpf();

bool on_bpffs(const std::string &path);

// Throws BackendError when pin_dir does not exist or is not on a bpffs,
// naming what is missing: bpffs itself, or the loaded tracer.
void require_pin_dir(const std::string &pin_dir);

} // namespace lottery
