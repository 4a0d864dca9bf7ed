// SPDX-License-Identifier: MIT
// The values of the enforcement options, parsed without I/O so that the
// command line can be fuzzed: CPU lists ("0-3,8", as the kernel prints
// them in /sys/devices/system/cpu/online) and `--group` specs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "groups.h"

namespace lottery {

// All of text as a decimal integer from 0 to max: no sign, no spaces.
std::optional<std::uint64_t> parse_bounded(std::string_view text, std::uint64_t max);

// CPU numbers must fit a cpu_set_t (CPU_SETSIZE).
inline constexpr unsigned max_cpu_number = 1023;

// "0", "0-3", "0,2-3": sorted, without repeats. On failure nullopt and,
// when error is not null, a one-line reason quoting the input.
std::optional<std::vector<unsigned>> parse_cpu_list(std::string_view text, std::string *error);

// The shortest list naming the CPUs: {0,1,2,5} -> "0-2,5".
std::string format_cpu_list(const std::vector<unsigned> &cpus);

// The largest SHARE of a `--group`: shares are relative weights, and a
// million times the unit still sums in 64 bits over a million groups.
inline constexpr std::uint64_t max_group_share = 1000000;

// `NAME=PID,PID,...` funded with unit base tickets, or `NAME:SHARE=PID,...`
// funded with SHARE times unit: groups' shares of the CPU are in the ratio
// of their SHAREs (1 by default), however many processes each runs. A
// large unit keeps each process's value in base tickets precise. NAME is 1
// to 32 letters, digits, '-', '_' or '.'; at least one PID.
std::optional<TaskGroup> parse_group(std::string_view text, std::uint64_t unit, std::string *error);

} // namespace lottery
