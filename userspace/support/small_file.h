// SPDX-License-Identifier: MIT
// Whole reads of the small files /proc and /sys offer.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace lottery {

// The whole of a small file under dir (AT_FDCWD for an absolute path), at
// most max_bytes; nullopt when it cannot be read.
std::optional<std::string> read_small_file(int dir, const std::string &path,
					   std::size_t max_bytes = 64 * 1024);

} // namespace lottery
