// SPDX-License-Identifier: MIT
// The agent's loop: snapshot, candidates, draw, print, sleep; a summary at
// the end however the loop ends.
#pragma once

#include <iosfwd>
#include <memory>

#include "cli_options.h"

namespace lottery {

// Returns the process exit code: 0 after the last round or an interrupt,
// 1 when the backend fails. Throws UsageError for options that need the
// system to check (unknown user).
// The backend the options name, or null after saying on err, in one line,
// why it could not be opened. Both loops start with it.
std::unique_ptr<SnapshotSource> open_source_or_explain(const CliOptions &options, std::ostream &err);

int run_rounds(const CliOptions &options, std::ostream &out, std::ostream &err);

} // namespace lottery
