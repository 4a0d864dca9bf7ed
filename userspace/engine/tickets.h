// SPDX-License-Identifier: MIT
// How many tickets a task holds: by default what the kernel's CFS/EEVDF
// would give it as a load weight, so that the lottery's shares and the
// kernel's shares can be compared directly; `--tickets PID=N` overrides.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "snapshot.h"

namespace lottery {

// kernel/sched/core.c: sched_prio_to_weight[nice + 20]. Nice values outside
// -20..19 are clamped, as setpriority(2) clamps them.
std::uint64_t nice_to_weight(int nice);

// WEIGHT_IDLEPRIO in kernel/sched/sched.h: what a SCHED_IDLE task weighs.
inline constexpr std::uint64_t idle_weight = 3;

// The most tickets one override may give: large enough for any ratio a
// user means, small enough that a million of them still sum in 64 bits.
inline constexpr std::uint64_t max_override_tickets = std::uint64_t{1} << 32;

// `--tickets PID=N`: a key matches the task whose pid is PID or, failing
// that, every task whose tgid is PID (all threads of a process).
struct TicketOverrides {
	std::map<std::int32_t, std::uint64_t> by_pid;

	// The override that applies to the task, if any; a thread's own pid
	// wins over its process's tgid.
	std::optional<std::uint64_t> find(const RunnableTask &task) const;
};

// Tickets from the kernel's own weights. Real-time and deadline tasks have
// no weight in the kernel; they get a nice-0 task's (see candidates.h).
std::uint64_t default_tickets(const RunnableTask &task);

// Parses "PID=N": PID a positive 32-bit integer, N an integer from 1 to
// max_override_tickets. On failure returns nullopt and, when error is not
// null, a one-line reason that quotes the input with unprintable bytes
// escaped.
std::optional<std::pair<std::int32_t, std::uint64_t>> parse_ticket_override(std::string_view text,
									    std::string *error);

} // namespace lottery
