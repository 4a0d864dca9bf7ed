// SPDX-License-Identifier: MIT
// Stress tests run short in `make test` and at full length in `make stress`,
// which sets LOTTERY_STRESS=long.
#pragma once

#include <cstdlib>
#include <string_view>

namespace lottery::testing {

inline bool long_stress()
{
	const char *value = std::getenv("LOTTERY_STRESS");
	return value && std::string_view(value) == "long";
}

// The short or the long figure, as the run asks.
template <typename T> T stress_length(T short_run, T long_run)
{
	return long_stress() ? long_run : short_run;
}

} // namespace lottery::testing
