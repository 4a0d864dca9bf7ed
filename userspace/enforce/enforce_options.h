// SPDX-License-Identifier: MIT
// What an enforced run (--enforce, `lottery run`) is asked to do: the
// enforcement's own settings. The CLI fills them in; run_enforced()
// (enforced_run.h) takes them with the settings every run shares.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "groups.h"

namespace lottery {

// How enforced decisions take effect: the kernel's own scheduler holds the
// lottery (sched_ext), or signals and CPU affinity on the managed set; auto
// is the kernel when it has sched_ext.
enum class Mechanism { Auto, Kernel, Signals };

inline constexpr std::uint64_t default_slice_ms = 10;
inline constexpr std::uint64_t max_slice_ms = 1000;

struct EnforceOptions {
	bool enabled = false;
	std::vector<unsigned> cpus;		   // empty: the first CPU the agent may use
	std::optional<std::string> spawned_state;  // --spawned[=FILE]; empty: lottery-spawn's
	std::optional<std::string> tickets_file;   // reread on SIGHUP
	bool per_user = false;
	bool compensation = true; // --no-compensation turns it off, for comparison
	std::vector<TaskGroup> groups;
	std::vector<std::vector<std::string>> commands; // lottery run -- COMMAND... [-- COMMAND...]
	std::vector<std::uint64_t> command_tickets;	// `--tickets N` in run, in command order
	Mechanism mechanism = Mechanism::Auto;
	bool whole_machine = false;			// the kernel scheduler for every task
	std::uint64_t slice_ms = default_slice_ms;	// the kernel scheduler's time slice
};

} // namespace lottery
