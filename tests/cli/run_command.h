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
// timeout_ms. Environment is inherited. As another user, argv[0] runs from
// reachable_copy() and in /, since the checkout may be where only root goes.
CommandResult run_command(const std::vector<std::string> &argv,
			  std::optional<uid_t> as_user = std::nullopt, int timeout_ms = 20000);

// A copy of the program at path in a directory every user can enter and
// run from (mode 0755, under $TMPDIR or /tmp), made once per process and
// removed when it exits; path itself when no copy can be made. A clone under
// /root (mode 0700) holds programs that another user cannot exec.
std::string reachable_copy(const std::string &path);

// Number of lines in text (a last line without '\n' counts).
int count_lines(const std::string &text);

} // namespace lottery::testing
