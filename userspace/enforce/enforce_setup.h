// SPDX-License-Identifier: MIT
// Before an enforced run changes anything: which CPUs it runs on, and the
// processes it takes hold of. Every check that can refuse the run is made
// here, so that a refused run has touched nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "enforcer.h"
#include "tickets.h"

namespace lottery {

// The requested CPUs, all of which must be online; with none requested,
// the first CPU this process may run on. On failure nullopt and a
// one-line reason.
std::optional<std::vector<unsigned>> choose_cpus(const std::vector<unsigned> &requested,
						 std::string *error);

cpu_set_t to_cpu_set(const std::vector<unsigned> &cpus);

// The tickets file (--tickets-file), read without blocking (user_path.h)
// and parsed; on failure nullopt and one line: "--tickets-file PATH: why".
std::optional<TicketOverrides> load_tickets_file(const std::string &path, std::string *error);

// Takes hold of each pid (repeats ignored) and of the tasks in
// lottery-spawn's state file (empty path: its default) that still run.
// Throws ManageError; nothing is changed either way.
std::vector<ManagedEntry> take_on(const std::vector<std::int32_t> &pids,
				  const std::optional<std::string> &spawned_state);

} // namespace lottery
