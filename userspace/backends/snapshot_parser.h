// SPDX-License-Identifier: MIT
// Turns the bytes of a snapshot (common/lottery_snapshot.h), read from
// /dev/lottery or from the pinned BPF task iterator, into a Snapshot. Pure: no I/O, so it
// is unit-tested and fuzzed on its own.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "snapshot.h"
#include "snapshot_source.h"

namespace lottery {

// Checks the header (magic, ABI version, sizes, a record count that fits the
// bytes exactly, or the records counted when the header is UNCOUNTED) and decodes every record with decode_task_record().
//
// A record with an impossible value refuses the whole snapshot rather than
// being skipped: the module and the iterator build each snapshot in one
// pass from the kernel's own fields, so a bad record means the producer and this reader
// disagree about the layout or the memory was damaged, and then none of its
// records can be trusted.
//
// Throws BackendError with a one-line message (no "lottery: " prefix); a
// snapshot of another ABI version is refused with abi_fix, what the user
// runs to load the producer of this version.
Snapshot parse_snapshot(std::span<const std::byte> bytes, const std::string &abi_fix);

// "<who> speaks ABI 2, this lottery speaks 1: <fix>"
std::string abi_mismatch_message(const std::string &who, std::uint32_t their_abi,
				 const std::string &fix);

} // namespace lottery
