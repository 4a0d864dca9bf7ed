// SPDX-License-Identifier: MIT
#include "snapshot_reader.h"

#include <cerrno>
#include <cstring>

#include "snapshot_parser.h"
#include "snapshot_source.h"

namespace lottery {

namespace {

// Most machines have a few runnable tasks: 64 KiB holds about a thousand.
constexpr std::size_t first_buffer_size = 64 * 1024;

} // namespace

Snapshot SnapshotReader::read(const ReadSome &read_some)
{
	std::size_t used = 0;
	if (buffer_.empty())
		buffer_.resize(first_buffer_size);
	for (;;) {
		if (used == buffer_.size())
			buffer_.resize(buffer_.size() * 2);
		ssize_t n = read_some(buffer_.data() + used, buffer_.size() - used, static_cast<off_t>(used));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			throw BackendError(path_ + ": read failed: " + std::strerror(errno));
		if (n == 0)
			break;
		used += static_cast<std::size_t>(n);
	}
	try {
		return parse_snapshot(std::span(buffer_).first(used), abi_fix_);
	} catch (const BackendError &e) {
		throw BackendError(path_ + ": " + e.what());
	}
}

} // namespace lottery
