// SPDX-License-Identifier: MIT
// The bpf backend against pinned maps it must refuse (built here on purpose),
// a tracer that goes away under it, and a map of 10 000 entries.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <linux/types.h>

#include "bpf_map_reader.h"
#include "sched_trace.h"
#include "task_processes.h"
#include "tracer_fixture.h"

namespace lottery::testing {
namespace {

using ::testing::HasSubstr;

const std::string reload_hint = "run 'sudo make load-ebpf' or 'sudo lottery-tracer load'";

// The error open_bpf_source (and a first snapshot) gives, or "" if none.
std::string backend_error(const std::string &pin_dir)
{
	try {
		open_bpf_source(pin_dir)->take_snapshot();
	} catch (const BackendError &error) {
		return error.what();
	}
	return "";
}

// A pin directory of maps made by hand, in the layout the test asks for.
class HandMadePins {
public:
	HandMadePins() : dir_(test_pin_dir("hand_made"))
	{
		std::filesystem::remove_all(dir_);
		if (mkdir(dir_.c_str(), 0700))
			ADD_FAILURE() << "mkdir " << dir_;
	}
	~HandMadePins() { std::filesystem::remove_all(dir_); }

	const std::string &dir() const { return dir_; }

	void pin(const char *name, bpf_map_type type, __u32 value_size, __u32 max_entries,
		 const void *first_value = nullptr, __u32 flags = 0)
	{
		LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = flags);
		int fd = bpf_map_create(type, name, sizeof(__u32), value_size, max_entries, &opts);
		ASSERT_GE(fd, 0) << name;
		__u32 zero = 0;
		if (first_value) {
			EXPECT_EQ(bpf_map_update_elem(fd, &zero, first_value, BPF_ANY), 0);
		}
		EXPECT_EQ(bpf_obj_pin(fd, (dir_ + "/" + name).c_str()), 0) << name;
		close(fd);
	}

	// info with this header, and the other maps of the right shape.
	void pin_set(const struct sched_trace_info &header, __u32 slot_size = sizeof(struct sched_trace_slot),
		     __u32 runnable_flags = BPF_F_MMAPABLE)
	{
		pin(SCHED_TRACE_INFO_MAP, BPF_MAP_TYPE_ARRAY, sizeof(header), 1, &header);
		pin(SCHED_TRACE_RUNNABLE_MAP, BPF_MAP_TYPE_ARRAY, slot_size, 64, nullptr, runnable_flags);
		pin(SCHED_TRACE_USAGE_MAP, BPF_MAP_TYPE_ARRAY, sizeof(struct sched_trace_usage), 1, nullptr,
		    BPF_F_MMAPABLE);
		pin(SCHED_TRACE_MISSES_MAP, BPF_MAP_TYPE_PERCPU_ARRAY, sizeof(__u64), 1);
	}

private:
	std::string dir_;
};

constexpr struct sched_trace_info good_header = {
	SCHED_TRACE_INFO_MAGIC, LOTTERY_ABI_VERSION, sizeof(struct lottery_task), 64,
	sizeof(struct sched_trace_slot), 0};

TEST(BpfBackend, SaysWhenTheTracerIsNotLoaded)
{
	EXPECT_EQ(backend_error(test_pin_dir("absent")),
		  "the BPF tracer is not loaded: " + reload_hint);
}

TEST(BpfBackend, SaysWhenBpffsIsNotMounted)
{
	char dir[] = "/tmp/lottery_no_bpffs_XXXXXX";
	ASSERT_NE(mkdtemp(dir), nullptr);
	std::string error = backend_error(std::string(dir) + "/sched_trace");
	rmdir(dir);
	EXPECT_THAT(error, ::testing::StartsWith(std::string("bpffs is not mounted at ") + dir));
}

TEST(BpfBackend, NeedsRoot)
{
	int ends[2];
	ASSERT_EQ(pipe(ends), 0);
	pid_t child = fork();
	if (child == 0) {
		std::string error = setresuid(65534, 65534, 65534) ? "setresuid failed"
								   : backend_error(SCHED_TRACE_PIN_DIR);
		(void)!write(ends[1], error.data(), error.size());
		_exit(0);
	}
	close(ends[1]);
	char buffer[512];
	ssize_t length = read(ends[0], buffer, sizeof(buffer));
	close(ends[0]);
	waitpid(child, nullptr, 0);
	EXPECT_EQ(std::string(buffer, std::max<ssize_t>(length, 0)),
		  "the bpf backend needs root (CAP_BPF)");
}

TEST(BpfBackend, RefusesAnotherAbiVersion)
{
	HandMadePins pins;
	struct sched_trace_info header = good_header;
	header.abi_version = LOTTERY_ABI_VERSION + 41;
	pins.pin_set(header);
	EXPECT_EQ(backend_error(pins.dir()),
		  "the pinned map " + pins.dir() + "/info has ABI version " +
			  std::to_string(LOTTERY_ABI_VERSION + 41) + ", this lottery speaks " +
			  std::to_string(LOTTERY_ABI_VERSION) + ": reload the tracer with this version");
}

TEST(BpfBackend, RefusesRecordsOfAnotherSize)
{
	HandMadePins pins;
	pins.pin_set(good_header, sizeof(struct sched_trace_slot) + 8);
	EXPECT_EQ(backend_error(pins.dir()),
		  "the pinned map " + pins.dir() + "/runnable holds " +
			  std::to_string(sizeof(struct sched_trace_slot) + 8) + "-byte values, this lottery expects " +
			  std::to_string(sizeof(struct sched_trace_slot)) + ": reload the tracer with this version");
}

// The slots are read from a memory mapping, which needs BPF_F_MMAPABLE.
TEST(BpfBackend, RefusesARunnableMapItCannotMap)
{
	HandMadePins pins;
	pins.pin_set(good_header, sizeof(struct sched_trace_slot), 0);
	EXPECT_EQ(backend_error(pins.dir()),
		  "the pinned map " + pins.dir() + "/runnable cannot be memory-mapped (no BPF_F_MMAPABLE): "
		  "not a sched_trace map of this version: reload the tracer with this version");
}

// A tracer of the previous layout (a hash map keyed by pid, a 16-byte info)
// is named as such, not misread.
TEST(BpfBackend, RefusesTheTracerOfThePreviousLayout)
{
	HandMadePins pins;
	const __u32 old_info[4] = {SCHED_TRACE_INFO_MAGIC, LOTTERY_ABI_VERSION, sizeof(struct lottery_task), 64};
	pins.pin(SCHED_TRACE_INFO_MAP, BPF_MAP_TYPE_ARRAY, sizeof(old_info), 1, old_info);
	pins.pin(SCHED_TRACE_RUNNABLE_MAP, BPF_MAP_TYPE_HASH, sizeof(struct lottery_task), 64);
	pins.pin(SCHED_TRACE_MISSES_MAP, BPF_MAP_TYPE_PERCPU_ARRAY, sizeof(__u64), 1);
	EXPECT_EQ(backend_error(pins.dir()),
		  "the pinned map " + pins.dir() + "/info holds 16-byte values, this lottery expects " +
			  std::to_string(sizeof(struct sched_trace_info)) + ": reload the tracer with this version");
}

TEST(BpfBackend, RefusesAnInfoMapOfAnotherShapeOrMagic)
{
	HandMadePins shape;
	__u64 small = 1;
	shape.pin(SCHED_TRACE_INFO_MAP, BPF_MAP_TYPE_ARRAY, sizeof(small), 1, &small);
	EXPECT_THAT(backend_error(shape.dir()), HasSubstr("/info holds 8-byte values"));

	HandMadePins magic;
	struct sched_trace_info header = good_header;
	header.magic = 0x12345678;
	magic.pin_set(header);
	EXPECT_THAT(backend_error(magic.dir()), HasSubstr("has magic 0x12345678, not a sched_trace info map"));
}

TEST(BpfBackend, SaysWhenTheTracerIsOnlyPartlyLoaded)
{
	HandMadePins pins;
	pins.pin(SCHED_TRACE_INFO_MAP, BPF_MAP_TYPE_ARRAY, sizeof(good_header), 1, &good_header);
	EXPECT_EQ(backend_error(pins.dir()), "the BPF tracer is only partly loaded (" +
						     pins.dir() + "/runnable is missing): " + reload_hint);
}

TEST(BpfBackend, SaysWhenTheTracerIsUnloadedUnderIt)
{
	ScopedTracer tracer("backend_unload");
	ASSERT_TRUE(tracer.loaded()) << tracer.load_result().err;
	auto source = tracer.open_source();
	EXPECT_FALSE(source->take_snapshot().tasks.empty());

	ASSERT_EQ(tracer.run("unload").exit_code, 0);
	try {
		source->take_snapshot();
		ADD_FAILURE() << "a snapshot after unload did not fail";
	} catch (const BackendError &error) {
		EXPECT_THAT(error.what(), HasSubstr("the BPF tracer was unloaded while lottery was running"));
	}
}

TEST(BpfBackend, SaysWhenTheTracerIsReloadedUnderIt)
{
	ScopedTracer tracer("backend_reload");
	ASSERT_TRUE(tracer.loaded()) << tracer.load_result().err;
	auto source = tracer.open_source();
	ASSERT_EQ(tracer.run("unload").exit_code, 0);
	ASSERT_EQ(tracer.run("load").exit_code, 0);
	EXPECT_THROW(source->take_snapshot(), BackendError);
}

// Issue 6: a round at 10 000 tracked tasks must stay well under 2 ms; the
// snapshot copies mapped slots (about 0.1-0.3 ms here).
TEST(BpfBackend, ReadsTenThousandEntriesQuickly)
{
	constexpr __u32 synthetic = 10000;
	ScopedTracer tracer("backend_10k", {"--capacity", "16384"});
	ASSERT_TRUE(tracer.loaded()) << tracer.load_result().err;
	for (__u32 i = 0; i < synthetic; i++) {
		// pids above any real one (pid_max is at most 2^22), which the tracer never writes
		struct lottery_task record = {};
		record.pid = record.tgid = (1U << 22) - synthetic + i;
		std::snprintf(record.comm, sizeof(record.comm), "synthetic%u", i);
		tracer.inject(record, SCHED_TRACE_SLOT_RUNNABLE);
	}
	auto source = tracer.open_source();
	std::vector<double> micros;
	std::size_t tasks = 0;
	for (int round = 0; round < 31; round++) {
		auto start = std::chrono::steady_clock::now();
		tasks = source->take_snapshot().tasks.size();
		micros.push_back(std::chrono::duration<double, std::micro>(
					 std::chrono::steady_clock::now() - start).count());
	}
	std::sort(micros.begin(), micros.end());
	double median = micros[micros.size() / 2];
	RecordProperty("take_snapshot_median_us", std::to_string(median));
	std::printf("take_snapshot at %zu entries: median %.0f us, min %.0f us, max %.0f us\n", tasks,
		    median, micros.front(), micros.back());
	EXPECT_GE(tasks, synthetic);
	// One bpf() call per record takes over 10 ms: this bound catches a
	// reader that stopped copying from the mapping.
	// The fastest round, as the machine may be busy with other work.
	EXPECT_LT(micros.front(), 5000.0);
}

} // namespace
} // namespace lottery::testing
