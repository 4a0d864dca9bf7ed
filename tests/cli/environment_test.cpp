// SPDX-License-Identifier: MIT
// The machine `lottery` may meet, as root on the real kernel: no root, no
// bpffs, no tracer, a tracer of another ABI, no device, nothing to draw
// from, records of tasks that are gone. Each case runs the real command and
// judges what the user sees: one line on stderr, the exit code, and the
// tracer's pins as they were.
#include <filesystem>
#include <functional>
#include <set>

#include <bpf/bpf.h>
#include <gtest/gtest.h>
#include <linux/types.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sched_trace.h"
#include "tickets.h"
#include "task_processes.h"
#include "tracer_fixture.h"

namespace lottery::testing {
namespace {

namespace fs = std::filesystem;

constexpr uid_t nobody = 65534;
// The exit code of a case's wrapper that could not set the machine up as the
// case needs: the case is reported as skipped, with the wrapper's reason.
constexpr int could_not_stage = 77;

// One tracer for the whole suite, and pin directories made from its maps
// with one of them swapped for a map of another shape.
class Pins {
public:
	Pins()
	{
		empty_ = test_pin_dir("env_empty");
		mkdir(empty_.c_str(), 0700);
		// The info map says another ABI; the other two are the tracer's own.
		struct sched_trace_info info = {SCHED_TRACE_INFO_MAGIC, LOTTERY_ABI_VERSION + 41,
						sizeof(struct lottery_task), 64, sizeof(struct sched_trace_slot), 0};
		other_abi_ = with_swapped("env_abi", SCHED_TRACE_INFO_MAP,
					  made_map(BPF_MAP_TYPE_ARRAY, 4, sizeof(info), &info));
		other_value_ = with_swapped("env_value", SCHED_TRACE_RUNNABLE_MAP,
					    made_map(BPF_MAP_TYPE_ARRAY, 4, sizeof(struct sched_trace_slot) + 8));
		// The runnable map of a tracer before slots: a hash map keyed by pid.
		other_key_ = with_swapped("env_key", SCHED_TRACE_RUNNABLE_MAP,
					  made_map(BPF_MAP_TYPE_HASH, 8, sizeof(struct lottery_task)));
	}
	~Pins()
	{
		for (const auto &dir : {empty_, other_abi_, other_value_, other_key_})
			fs::remove_all(dir);
	}

	const ScopedTracer &tracer() const { return tracer_; }
	const std::string &empty() const { return empty_; }
	const std::string &other_abi() const { return other_abi_; }
	const std::string &other_value() const { return other_value_; }
	const std::string &other_key() const { return other_key_; }

	// Every name under the pin directories: what a case must leave as it was.
	std::set<std::string> listing() const
	{
		std::set<std::string> names;
		for (const auto &dir : {tracer_.pin_dir(), empty_, other_abi_, other_value_, other_key_})
			for (const auto &entry : fs::directory_iterator(dir))
				names.insert(entry.path());
		return names;
	}

private:
	static int made_map(bpf_map_type type, __u32 key_size, __u32 value_size, const void *first = nullptr)
	{
		int fd = bpf_map_create(type, "lottery_env", key_size, value_size, 64, nullptr);
		__u32 zero = 0;
		if (fd >= 0 && first)
			bpf_map_update_elem(fd, &zero, first, BPF_ANY);
		return fd;
	}

	std::string with_swapped(const char *name, const char *swapped, int fd)
	{
		std::string dir = test_pin_dir(name);
		mkdir(dir.c_str(), 0700);
		for (const char *map : {SCHED_TRACE_INFO_MAP, SCHED_TRACE_RUNNABLE_MAP, SCHED_TRACE_USAGE_MAP,
					SCHED_TRACE_MISSES_MAP}) {
			int pinned = std::string(map) == swapped
					     ? fd
					     : bpf_obj_get((tracer_.pin_dir() + "/" + map).c_str());
			EXPECT_GE(pinned, 0) << dir << "/" << map;
			EXPECT_EQ(bpf_obj_pin(pinned, (dir + "/" + map).c_str()), 0) << dir << "/" << map;
			close(pinned);
		}
		return dir;
	}

	ScopedTracer tracer_{"env"};
	std::string empty_, other_abi_, other_value_, other_key_;
};

struct EnvironmentCase {
	const char *name;
	// The command line, given the suite's pins.
	std::function<std::vector<std::string>(const Pins &)> argv;
	std::optional<uid_t> as_user;
	int exit_code;
	std::function<std::string(const Pins &)> says; // a fragment the message must hold
};

void PrintTo(const EnvironmentCase &c, std::ostream *os) { *os << c.name; }

std::vector<std::string> bpf_args(const std::string &pin_dir)
{
	return {LOTTERY_BIN, "--backend", "bpf", "--pin-dir", pin_dir, "--rounds", "1"};
}

const std::string load_hint = "run 'sudo make load-ebpf' or 'sudo lottery-tracer load'";

// clang-format off
const EnvironmentCase environment[] = {
	{"NotRoot", [](auto &) { return std::vector<std::string>{LOTTERY_BIN, "--backend", "bpf", "--rounds", "1"}; },
	 nobody, 1, [](auto &) { return "lottery: the bpf backend needs root (CAP_BPF)"; }},
	// A mount namespace of its own, where /sys/fs/bpf is unmounted. The
	// unmount must not reach the host's namespace: the mounts above it are
	// made private first. "unshare --propagation private" cannot do that
	// where / is not a mount point (a chroot, some containers).
	{"BpffsNotMounted", [](auto &) { return std::vector<std::string>{"/usr/bin/unshare", "-m", "--propagation", "unchanged",
		"sh", "-c", "for m in / /sys; do if mountpoint -q $m; then mount --make-rprivate $m || exit 77; fi; done; "
		"[ \"$(findmnt -n -o PROPAGATION -T /sys/fs)\" = private ] || "
		"{ echo \"neither / nor /sys is a mount point here: the unmount could reach the host, so it is not done\" >&2; exit 77; }; "
		"while mountpoint -q /sys/fs/bpf; do umount /sys/fs/bpf || exit 99; done; "
		"exec \"$0\" --backend bpf --rounds 1", LOTTERY_BIN}; },
	 std::nullopt, 1, [](auto &) { return "lottery: bpffs is not mounted at /sys/fs/bpf: " + load_hint + " (it mounts it)"; }},
	{"TracerNotLoaded", [](auto &) { return bpf_args(test_pin_dir("env_absent")); },
	 std::nullopt, 1, [](auto &) { return "lottery: the BPF tracer is not loaded: " + load_hint; }},
	{"TracerNotLoadedEmptyDir", [](auto &pins) { return bpf_args(pins.empty()); },
	 std::nullopt, 1, [](auto &) { return "lottery: the BPF tracer is not loaded: " + load_hint; }},
	{"PinDirNotOnBpffs", [](auto &) { return bpf_args("/tmp"); },
	 std::nullopt, 1, [](auto &) { return "lottery: /tmp: is not on a bpffs"; }},
	{"MapsOfAnotherAbi", [](auto &pins) { return bpf_args(pins.other_abi()); },
	 std::nullopt, 1, [](auto &pins) { return pins.other_abi() + "/info has ABI version " +
		std::to_string(LOTTERY_ABI_VERSION + 41) + ", this lottery speaks " +
		std::to_string(LOTTERY_ABI_VERSION) + ": reload the tracer with this version"; }},
	{"RecordsOfAnotherSize", [](auto &pins) { return bpf_args(pins.other_value()); },
	 std::nullopt, 1, [](auto &pins) { return pins.other_value() + "/runnable holds " +
		std::to_string(sizeof(struct sched_trace_slot) + 8) + "-byte values, this lottery expects " +
		std::to_string(sizeof(struct sched_trace_slot)); }},
	{"KeysOfAnotherSize", [](auto &pins) { return bpf_args(pins.other_key()); },
	 std::nullopt, 1, [](auto &pins) { return pins.other_key() + "/runnable is of type " +
		std::to_string(BPF_MAP_TYPE_HASH) + " with 8-byte keys, not a sched_trace map"; }},
	{"DeviceMissing", [](auto &) { return std::vector<std::string>{LOTTERY_BIN, "--backend", "chardev",
		"--device", "/nonexistent", "--rounds", "1"}; },
	 std::nullopt, 1, [](auto &) { return "lottery: /nonexistent not found: load the module with 'sudo modprobe lottery'"; }},
	{"DeviceOfAnotherDriver", [](auto &) { return std::vector<std::string>{LOTTERY_BIN, "--backend", "chardev",
		"--device", "/dev/null", "--rounds", "1"}; },
	 std::nullopt, 1, [](auto &) { return "lottery: /dev/null: is the device 'null', not 'lottery'"; }},
};
// clang-format on

class LotteryEnvironment : public ::testing::TestWithParam<EnvironmentCase> {
protected:
	static void SetUpTestSuite()
	{
		remove_stale_test_pins();
		pins_ = new Pins;
	}
	static void TearDownTestSuite()
	{
		delete pins_;
		pins_ = nullptr;
	}
	static Pins *pins_;
};

Pins *LotteryEnvironment::pins_;

TEST_P(LotteryEnvironment, OneLineErrorAndExitCode)
{
	const EnvironmentCase &c = GetParam();
	ASSERT_TRUE(pins_->tracer().loaded()) << pins_->tracer().load_result().err;
	auto before = pins_->listing();
	auto result = run_command(c.argv(*pins_), c.as_user);
	if (result.exit_code == could_not_stage)
		GTEST_SKIP() << c.name << " not run: " << result.err;
	EXPECT_EQ(result.exit_code, c.exit_code) << result.err;
	EXPECT_EQ(count_lines(result.err), 1) << result.err;
	EXPECT_EQ(result.err.rfind("lottery: ", 0), 0u) << result.err;
	EXPECT_EQ(result.err.find("lottery: lottery:"), std::string::npos) << result.err;
	EXPECT_NE(result.err.find(c.says(*pins_)), std::string::npos) << result.err;
	EXPECT_EQ(result.out, "");
	EXPECT_EQ(pins_->listing(), before) << "the pins changed";
}

INSTANTIATE_TEST_SUITE_P(Environment, LotteryEnvironment, ::testing::ValuesIn(environment),
			 [](const auto &info) { return std::string(info.param.name); });

double cpu_seconds_of_children()
{
	struct rusage usage;
	getrusage(RUSAGE_CHILDREN, &usage);
	return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
	       (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// Nothing to draw from is not an error: each round says why, at the pace
// asked for, without spinning, and the run ends normally.
TEST(LotteryNoCandidates, EachRoundSaysWhyAtItsPace)
{
	ScopedTracer tracer("env_none");
	ASSERT_TRUE(tracer.loaded()) << tracer.load_result().err;
	// A runnable task for the filter to exclude, whatever else the machine runs.
	ChildProcess busy = spawn_cpu_task(0);
	ASSERT_TRUE(wait_until(
		[&] { return find_task(tracer.open_source()->take_snapshot(), busy.pid()).has_value(); }));
	double cpu_before = cpu_seconds_of_children();
	auto start = std::chrono::steady_clock::now();
	auto result = run_command({LOTTERY_BIN, "--backend", "bpf", "--pin-dir", tracer.pin_dir(),
				   "--comm", "no-such-comm", "--rounds", "3", "200"});
	auto elapsed = std::chrono::steady_clock::now() - start;

	EXPECT_EQ(result.exit_code, 0) << result.err;
	EXPECT_EQ(result.err, "");
	for (int round = 1; round <= 3; round++)
		EXPECT_NE(result.out.find("round " + std::to_string(round) +
					  ": no winner: no runnable task to draw from"),
			  std::string::npos)
			<< result.out;
	EXPECT_NE(result.out.find("excluded by the filters"), std::string::npos) << result.out;
	EXPECT_GE(elapsed, std::chrono::milliseconds(400)) << "two intervals of 200 ms";
	EXPECT_LT(cpu_seconds_of_children() - cpu_before, 0.3) << "it spun instead of waiting";
}

// A record left in the map for a task that has exited (the tracer missed
// its exit) is never announced as a winner, however many tickets it holds,
// and lottery marks it asleep.
TEST(LotteryGoneTask, RecordOfAnExitedTaskNeverWins)
{
	ScopedTracer tracer("env_gone");
	ASSERT_TRUE(tracer.loaded()) << tracer.load_result().err;
	ChildProcess busy = spawn_cpu_task();
	pid_t gone = [] {
		ChildProcess child = spawn_sleeper();
		pid_t pid = child.pid();
		child.kill_and_reap();
		return pid;
	}();
	struct lottery_task ghost = {.pid = __u32(gone), .tgid = __u32(gone), .uid = 0, .nice = -20,
				     .policy = LOTTERY_SCHED_NORMAL, .cpu = 0, .flags = 0, .reserved = 0,
				     .runtime_ns = 0, .last_seen_ns = 1, .comm = "ghost"};
	const __u32 slot = tracer.inject(ghost, SCHED_TRACE_SLOT_RUNNABLE);
	ASSERT_TRUE(wait_until([&] { return find_task(tracer.open_source()->take_snapshot(), busy.pid()).has_value(); }));

	const std::string busy_pid = std::to_string(busy.pid()), gone_pid = std::to_string(gone);
	auto result = run_command({LOTTERY_BIN, "--backend", "bpf", "--pin-dir", tracer.pin_dir(), "--json",
				   "--pid", busy_pid, "--pid", gone_pid, "--tickets",
				   gone_pid + "=" + std::to_string(max_override_tickets), "--rounds", "20", "1"});
	EXPECT_EQ(result.exit_code, 0) << result.err;
	EXPECT_EQ(result.out.find("\"winner\":{\"pid\":" + gone_pid + ","), std::string::npos)
		<< "the exited task won:\n" << result.out;
	std::size_t busy_wins = 0;
	for (auto at = result.out.find("\"winner\":{\"pid\":" + busy_pid + ","); at != std::string::npos;
	     at = result.out.find("\"winner\":{\"pid\":" + busy_pid + ",", at + 1))
		busy_wins++;
	EXPECT_EQ(busy_wins, 20u) << result.out;
	EXPECT_EQ(tracer.slot_state(slot), __u32(SCHED_TRACE_SLOT_ASLEEP))
		<< "the exited task's record still says runnable";
}

} // namespace
} // namespace lottery::testing
