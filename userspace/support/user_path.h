// SPDX-License-Identifier: MIT
// Paths named on a command line (--tickets-file, --spawned, --device,
// --pin-dir, lottery-spawn --state, lottery-tracer --pin-dir) are opened
// here and nowhere else. A FIFO, a terminal or a device where a file was
// meant would block open() or read() -- with the agent holding processes
// stopped -- or act on open (a watchdog starts on open): so the path is
// first looked at with stat, refused unless it is what it must be, then
// opened without blocking (O_NONBLOCK | O_NOCTTY | O_CLOEXEC) and checked
// again through the fd, so that a swap in between is refused too.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

#include "unique_fd.h"

namespace lottery {

// One line without the program's prefix: "--tickets-file /tmp/f: is a FIFO,
// not a regular file". errno_value is the open's errno when it failed (0
// when the path was refused for what it is).
class UserPathError : public std::runtime_error {
public:
	UserPathError(const std::string &what, int errno_value)
		: std::runtime_error(what), errno_value_(errno_value)
	{
	}
	int errno_value() const { return errno_value_; }

private:
	int errno_value_;
};

struct PathExpectation {
	enum Kind { regular_file, directory, char_device } kind = regular_file;
	// directory: the filesystem magic it must be on (0: any), and its name
	// for the message ("bpffs").
	long filesystem_magic = 0;
	const char *filesystem_name = nullptr;
	// char_device: the name the driver gave its device in sysfs
	// (/sys/dev/char/MAJOR:MINOR), checked before the open so that no
	// other driver's open runs; without sysfs the check is skipped.
	const char *driver = nullptr;
	// Added to O_NONBLOCK | O_NOCTTY | O_CLOEXEC: O_RDONLY (0) unless
	// told; with O_CREAT a missing regular file is made with mode 0600.
	int open_flags = 0;
};

// what names the path for the message ("--tickets-file"; empty: the path
// alone). Throws UserPathError.
UniqueFd open_user_path(const std::string &path, const PathExpectation &expected,
			const std::string &what);

// The whole of a regular file, through open_user_path; a larger one than
// max_bytes is refused before it is read. Throws UserPathError.
std::string read_user_file(const std::string &path, std::size_t max_bytes, const std::string &what);

// What kind of file a mode is, for messages: "a FIFO", "a directory", ...
const char *file_kind(unsigned mode);

} // namespace lottery
