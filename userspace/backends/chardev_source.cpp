// SPDX-License-Identifier: MIT
// The chardev backend: snapshots read from /dev/lottery (kmod/lottery.ko).
#include <cerrno>
#include <cstring>
#include <vector>

#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/types.h>

#include "chardev_parser.h"
#include "lottery_chardev.h"
#include "snapshot_source.h"
#include "user_path.h"

namespace lottery {

namespace {

// Most machines have a few runnable tasks: 64 KiB holds about a thousand.
constexpr std::size_t first_buffer_size = 64 * 1024;

class ChardevSource : public SnapshotSource {
public:
	ChardevSource(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
	~ChardevSource() override { close(fd_); }
	ChardevSource(const ChardevSource &) = delete;
	ChardevSource &operator=(const ChardevSource &) = delete;

	const char *name() const override { return "chardev"; }

	Snapshot take_snapshot() override
	{
		std::size_t used = read_snapshot();
		try {
			return parse_chardev_snapshot(std::span(buffer_).first(used));
		} catch (const BackendError &e) {
			throw BackendError(path_ + ": " + e.what());
		}
	}

private:
	// A read at offset 0 makes the module take a new snapshot; reads at
	// later offsets continue through that one until EOF.
	std::size_t read_snapshot()
	{
		std::size_t used = 0;
		if (buffer_.empty())
			buffer_.resize(first_buffer_size);
		for (;;) {
			if (used == buffer_.size())
				buffer_.resize(buffer_.size() * 2);
			ssize_t n = pread(fd_, buffer_.data() + used, buffer_.size() - used,
					  static_cast<off_t>(used));
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				throw BackendError(path_ + ": read failed: " + std::strerror(errno));
			if (n == 0)
				return used;
			used += static_cast<std::size_t>(n);
		}
	}

	std::string path_;
	int fd_;
	std::vector<std::byte> buffer_; // reused across rounds
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
		throw BackendError(abi_mismatch_message(path, info.abi_version));
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
	return std::make_unique<ChardevSource>(device_path, fd.release());
}

} // namespace lottery
