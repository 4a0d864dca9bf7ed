// SPDX-License-Identifier: MIT
// Runs a program the way a user's shell would, and keeps what it printed:
// the tests judge the commands by their exit code and their words.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace lottery::testing {

struct CommandResult {
	int exit_code = -1; // 128 + signal when killed
	std::string out;
	std::string err;
};

// Runs argv[0] with argv, optionally as another user, killing it after
// timeout_ms. Environment is inherited.
CommandResult run_command(const std::vector<std::string> &argv,
			  std::optional<uid_t> as_user = std::nullopt, int timeout_ms = 20000);

// Number of lines in text (a last line without '\n' counts).
int count_lines(const std::string &text);

} // namespace lottery::testing
