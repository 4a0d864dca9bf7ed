// SPDX-License-Identifier: MIT
// The error every enforcement mechanism throws when it can no longer keep
// its promises (its guardian died, the kernel ejected its scheduler): the
// enforced run restores what it can and exits 1 with what() as the reason.
#pragma once

#include <stdexcept>

namespace lottery {

class EnforcementFailed : public std::runtime_error {
	using std::runtime_error::runtime_error;
};

} // namespace lottery
