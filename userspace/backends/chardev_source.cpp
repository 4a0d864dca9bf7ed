// SPDX-License-Identifier: MIT
// The chardev backend: snapshots read from /dev/lottery (kmod/lottery.ko).
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/types.h>

#include "snapshot_parser.h"
#include "snapshot_reader.h"
#include "lottery_chardev.h"
#include "snapshot_source.h"
#include "unique_fd.h"
#include "user_path.h"

namespace lottery {

namespace {

constexpr const char *abi_fix = "load the lottery.ko built with this version";

class ChardevSource : public SnapshotSource {
public:
	ChardevSource(std::string path, UniqueFd fd)
		: reader_(std::move(path), abi_fix), fd_(std::move(fd))
	{
	}

	const char *name() const override { return "chardev"; }

	// A read at offset 0 makes the module take a new snapshot; reads at
	// later offsets continue through that one until EOF.
	Snapshot take_snapshot() override
	{
		return reader_.read([this](std::byte *buffer, std::size_t length, off_t offset) {
			return pread(fd_.get(), buffer, length, offset);
		});
	}

private:
	SnapshotReader reader_;
	UniqueFd fd_;
};

// Installed through DKMS or built in a source tree: both ways of loading.
constexpr const char *load_hint =
	"load the module with 'sudo modprobe lottery' (packages, DKMS) or 'sudo make load-kmod'"
	" (source tree)";

[[noreturn]] void throw_open_error(const std::string &path, int err)
{
	if (err == ENOENT)
		throw BackendError(path + " not found: " + load_hint);
	if (err == EACCES || err == EPERM)
		throw BackendError(path + ": permission denied: it is root-only unless the module"
					  " is loaded with another mode=; run lottery as root");
	if (err == ENXIO || err == ENODEV)
		throw BackendError(path + ": no driver behind it: " + load_hint);
	throw BackendError("cannot open " + path + ": " + std::strerror(err));
}

// Refuses a module of another ABI before any snapshot is read.
void check_device(const std::string &path, int fd)
{
	struct lottery_dev_info info {};
	if (ioctl(fd, LOTTERY_IOC_GET_INFO, &info) != 0) {
		int err = errno;
		if (err == ENOTTY)
			throw BackendError(path + " does not answer LOTTERY_IOC_GET_INFO: it is not"
						  " the lottery.ko of this version");
		throw BackendError(path + ": LOTTERY_IOC_GET_INFO failed: " + std::strerror(err));
	}
	if (info.abi_version != LOTTERY_ABI_VERSION)
		throw BackendError(abi_mismatch_message(path, info.abi_version, abi_fix));
	if (info.record_size != sizeof(struct lottery_task))
		throw BackendError(path + " has records of " + std::to_string(info.record_size) +
				   " bytes, this lottery expects " +
				   std::to_string(sizeof(struct lottery_task)));
}

} // namespace

std::unique_ptr<SnapshotSource> open_chardev_source(const std::string &device_path)
{
	PathExpectation device{PathExpectation::char_device};
	device.driver = LOTTERY_DEVICE_NAME;
	UniqueFd fd;
	try {
		fd = open_user_path(device_path, device, "");
	} catch (const UserPathError &e) {
		if (e.errno_value())
			throw_open_error(device_path, e.errno_value());
		throw BackendError(e.what());
	}
	check_device(device_path, fd.get());
	return std::make_unique<ChardevSource>(device_path, std::move(fd));
}

} // namespace lottery
