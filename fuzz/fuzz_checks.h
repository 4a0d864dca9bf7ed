// SPDX-License-Identifier: MIT
// What every fuzz target asserts besides "no crash, no sanitizer report":
// a property that fails aborts, which libFuzzer records as a crash with the
// input that caused it.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace lottery::fuzz {

[[noreturn]] inline void fail(const char *what, std::string_view detail = {})
{
	std::fprintf(stderr, "fuzz property failed: %s: %.*s\n", what, static_cast<int>(detail.size()),
		     detail.data());
	std::abort();
}

inline void check(bool holds, const char *what, std::string_view detail = {})
{
	if (!holds)
		fail(what, detail);
}

// Errors reach the user as one line: no newline, no byte that could move
// the terminal's cursor, and something to read.
inline void check_one_line(std::string_view message)
{
	check(!message.empty(), "an empty error message");
	for (char c : message) {
		auto byte = static_cast<unsigned char>(c);
		check(byte >= 0x20 && byte != 0x7f, "a control byte in an error message", message);
	}
}

} // namespace lottery::fuzz
