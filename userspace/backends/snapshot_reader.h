// SPDX-License-Identifier: MIT
// The bytes of one snapshot (common/lottery_snapshot.h) read to EOF into a
// buffer kept across rounds, then parsed: what the chardev and iter backends
// share. They differ only in how a read is made.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include <sys/types.h>

#include "snapshot.h"

namespace lottery {

class SnapshotReader {
public:
	// path names the source in errors; abi_fix is what the user runs when
	// the producer speaks another ABI (see parse_snapshot).
	SnapshotReader(std::string path, std::string abi_fix)
		: path_(std::move(path)), abi_fix_(std::move(abi_fix))
	{
	}

	// read_some(buffer, length, offset) reads like pread(2), at `offset`
	// bytes into the snapshot. Throws BackendError naming the path.
	using ReadSome = std::function<ssize_t(std::byte *, std::size_t, off_t)>;
	Snapshot read(const ReadSome &read_some);

	const std::string &path() const { return path_; }

private:
	std::string path_;
	std::string abi_fix_;
	std::vector<std::byte> buffer_;
};

} // namespace lottery
