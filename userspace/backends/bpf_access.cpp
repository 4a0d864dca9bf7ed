// SPDX-License-Identifier: MIT
#include "bpf_access.h"

#include <linux/capability.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "snapshot_source.h"
#include "user_path.h"

namespace lottery {

namespace {

std::string parent_of(const std::string &path)
{
	auto slash = path.find_last_of('/');
	return slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
}

} // namespace

bool may_use_bpf()
{
	constexpr int cap_bpf = 39;
	struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};

	if (syscall(SYS_capget, &header, data))
		return geteuid() == 0;
	auto effective = [&](int cap) { return data[cap / 32].effective & (1U << (cap % 32)); };
	return effective(cap_bpf) || effective(CAP_SYS_ADMIN);
}

bool on_bpffs(const std::string &path)
{
	struct statfs fs;

	return statfs(path.c_str(), &fs) == 0 && fs.f_type == BPF_FS_MAGIC;
}

void require_pin_dir(const std::string &pin_dir)
{
	struct stat dir;
	if (stat(pin_dir.c_str(), &dir)) {
		std::string parent = parent_of(pin_dir);
		if (!on_bpffs(parent))
			throw BackendError("bpffs is not mounted at " + parent + ": " +
					   bpf_load_hint + " (it mounts it)");
		throw BackendError(std::string("the BPF tracer is not loaded: ") + bpf_load_hint);
	}
	try {
		PathExpectation bpffs_dir{PathExpectation::directory, BPF_FS_MAGIC, "bpffs"};
		open_user_path(pin_dir, bpffs_dir, "");
	} catch (const UserPathError &e) {
		throw BackendError(std::string(e.what()) + ": " + bpf_load_hint);
	}
}

} // namespace lottery
