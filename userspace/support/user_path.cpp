// SPDX-License-Identifier: MIT
#include "user_path.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>

namespace lottery {

namespace {

const char *wanted(PathExpectation::Kind kind)
{
	switch (kind) {
	case PathExpectation::directory:
		return "a directory";
	case PathExpectation::char_device:
		return "a character device";
	case PathExpectation::regular_file:
		break;
	}
	return "a regular file";
}

bool is_kind(const struct stat &st, PathExpectation::Kind kind)
{
	switch (kind) {
	case PathExpectation::directory:
		return S_ISDIR(st.st_mode);
	case PathExpectation::char_device:
		return S_ISCHR(st.st_mode);
	case PathExpectation::regular_file:
		break;
	}
	return S_ISREG(st.st_mode);
}

// The name sysfs gives the device (the last part of the link
// /sys/dev/char/MAJOR:MINOR), or empty when sysfs cannot say.
std::string device_name(dev_t device)
{
	const std::string link = "/sys/dev/char/" + std::to_string(major(device)) + ":" +
				 std::to_string(minor(device));
	char target[4096];
	ssize_t n = readlink(link.c_str(), target, sizeof(target) - 1);
	if (n <= 0)
		return "";
	target[n] = '\0';
	const char *slash = std::strrchr(target, '/');
	return slash ? slash + 1 : target;
}

[[noreturn]] void refuse(const std::string &what, const std::string &path, const std::string &why,
			 int errno_value = 0)
{
	throw UserPathError((what.empty() ? "" : what + " ") + path + ": " + why, errno_value);
}

// Refuses what the path is not; looked at before the open and again after.
void check(const struct stat &st, const PathExpectation &expected, const std::string &path,
	   const std::string &what)
{
	if (!is_kind(st, expected.kind))
		refuse(what, path, std::string("is ") + file_kind(st.st_mode) + ", not " +
					   wanted(expected.kind));
	if (expected.kind == PathExpectation::char_device && expected.driver) {
		const std::string name = device_name(st.st_rdev);
		if (!name.empty() && name != expected.driver)
			refuse(what, path, "is the device '" + name + "', not '" + expected.driver + "'");
	}
}

} // namespace

const char *file_kind(unsigned mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:
		return "a regular file";
	case S_IFDIR:
		return "a directory";
	case S_IFCHR:
		return "a character device";
	case S_IFBLK:
		return "a block device";
	case S_IFIFO:
		return "a FIFO";
	case S_IFSOCK:
		return "a socket";
	case S_IFLNK:
		return "a symbolic link";
	}
	return "of an unknown kind";
}

UniqueFd open_user_path(const std::string &path, const PathExpectation &expected,
			const std::string &what)
{
	if (path.empty())
		refuse(what, "''", "an empty path");
	const bool create = expected.open_flags & O_CREAT;
	struct stat before;
	const bool exists = stat(path.c_str(), &before) == 0;
	if (!exists && !(create && errno == ENOENT))
		refuse(what, path, std::strerror(errno), errno);
	if (exists)
		check(before, expected, path, what);

	int flags = expected.open_flags | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
	if (expected.kind == PathExpectation::directory)
		flags |= O_DIRECTORY;
	UniqueFd fd(open(path.c_str(), flags, 0600));
	if (!fd)
		refuse(what, path, std::strerror(errno), errno);
	struct stat after;
	if (fstat(fd.get(), &after) != 0)
		refuse(what, path, std::strerror(errno), errno);
	check(after, expected, path, what);
	if (exists && (after.st_dev != before.st_dev || after.st_ino != before.st_ino))
		refuse(what, path, "was replaced while it was being opened");
	if (expected.filesystem_magic) {
		struct statfs fs;
		if (fstatfs(fd.get(), &fs) != 0 ||
		    static_cast<long>(fs.f_type) != expected.filesystem_magic)
			refuse(what, path, std::string("is not on a ") + expected.filesystem_name);
	}
	// A regular file never blocks; what reads it sees ordinary reads.
	if (expected.kind == PathExpectation::regular_file)
		fcntl(fd.get(), F_SETFL, fcntl(fd.get(), F_GETFL) & ~O_NONBLOCK);
	return fd;
}

std::string read_user_file(const std::string &path, std::size_t max_bytes, const std::string &what)
{
	UniqueFd fd = open_user_path(path, {PathExpectation::regular_file}, what);
	struct stat st;
	if (fstat(fd.get(), &st) == 0 && static_cast<std::size_t>(st.st_size) > max_bytes)
		refuse(what, path, "is " + std::to_string(st.st_size) + " bytes, over the " +
					   std::to_string(max_bytes) + " this reads");
	std::string text;
	char buffer[65536];
	for (;;) {
		ssize_t n = read(fd.get(), buffer, sizeof(buffer));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			refuse(what, path, std::strerror(errno), errno);
		if (n == 0)
			return text;
		text.append(buffer, static_cast<std::size_t>(n));
		if (text.size() > max_bytes)
			refuse(what, path, "is over the " + std::to_string(max_bytes) + " bytes this reads");
	}
}

} // namespace lottery
