// SPDX-License-Identifier: MIT
#include <cerrno>
#include <cstring>

#include <dirent.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "tracer.h"

namespace lottery::tracer {

namespace {

constexpr const char *default_bpffs = "/sys/fs/bpf";

std::string parent_of(const std::string &path)
{
	auto slash = path.find_last_of('/');
	return slash == 0 ? "/" : path.substr(0, slash);
}

std::string base_name(const std::string &path)
{
	return path.substr(path.find_last_of('/') + 1);
}

bool is_bpffs(const std::string &path)
{
	struct statfs fs;

	return statfs(path.c_str(), &fs) == 0 && fs.f_type == BPF_FS_MAGIC;
}

} // namespace

TracerError::TracerError(const std::string &what, int error)
	: std::runtime_error(what + ": " + std::strerror(error))
{
}

std::string link_dir(const std::string &pin_dir)
{
	return pin_dir + "/links";
}

void require_root(const char *action)
{
	if (geteuid() != 0)
		throw TracerError(std::string(action) + " needs root", EPERM);
}

bool bpffs_mounted_for(const std::string &pin_dir)
{
	return is_bpffs(parent_of(pin_dir));
}

void ensure_bpffs(const std::string &pin_dir)
{
	const std::string parent = parent_of(pin_dir);

	if (is_bpffs(parent))
		return;
	if (parent != default_bpffs)
		throw TracerError(parent + " is not on a bpffs (mount -t bpf bpf " + parent + ")");
	if (mkdir(default_bpffs, 0700) && errno != EEXIST)
		throw TracerError(std::string("creating ") + default_bpffs, errno);
	if (mount("bpf", default_bpffs, "bpf", 0, "mode=0700"))
		throw TracerError(std::string("mounting bpffs at ") + default_bpffs, errno);
}

void remove_pin_tree(const std::string &path)
{
	DIR *dir = opendir(path.c_str());

	if (!dir) {
		if (errno == ENOENT)
			return;
		if (errno != ENOTDIR)
			throw TracerError("opening " + path, errno);
		if (unlink(path.c_str()) && errno != ENOENT)
			throw TracerError("removing " + path, errno);
		return;
	}
	while (struct dirent *entry = readdir(dir)) {
		if (!std::strcmp(entry->d_name, ".") || !std::strcmp(entry->d_name, ".."))
			continue;
		const std::string child = path + "/" + entry->d_name;
		if (entry->d_type == DT_DIR)
			remove_pin_tree(child);
		else if (unlink(child.c_str()) && errno != ENOENT) {
			int error = errno;
			closedir(dir);
			throw TracerError("removing " + child, error);
		}
	}
	closedir(dir);
	if (rmdir(path.c_str()) && errno != ENOENT)
		throw TracerError("removing " + path, errno);
}

std::string staging_dir(const std::string &pin_dir)
{
	// bpffs refuses names with a dot (they are kept for its own files).
	return parent_of(pin_dir) + "/" + base_name(pin_dir) + "_loading_" + std::to_string(getpid());
}

std::vector<std::string> stale_staging_dirs(const std::string &pin_dir)
{
	const std::string parent = parent_of(pin_dir);
	const std::string prefix = base_name(pin_dir) + "_loading_";
	std::vector<std::string> stale;
	DIR *dir = opendir(parent.c_str());

	if (!dir)
		throw TracerError("opening " + parent, errno);
	while (struct dirent *entry = readdir(dir))
		if (!std::strncmp(entry->d_name, prefix.c_str(), prefix.size()))
			stale.push_back(parent + "/" + entry->d_name);
	closedir(dir);
	return stale;
}

PinDirLock::PinDirLock(const std::string &pin_dir)
{
	const std::string parent = parent_of(pin_dir);

	fd_ = UniqueFd(open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	if (!fd_)
		throw TracerError("opening " + parent, errno);
	if (flock(fd_.get(), LOCK_EX))
		throw TracerError("locking " + parent, errno);
}

} // namespace lottery::tracer
