// SPDX-License-Identifier: MIT
// lottery-tracer on the real kernel: what load, unload and status do to
// bpffs, that they are idempotent, and that they refuse what they should.
#include <filesystem>
#include <cstdlib>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <linux/types.h>

#include "sched_trace.h"
#include "task_processes.h"
#include "tracer_fixture.h"

namespace lottery::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
namespace fs = std::filesystem;

const char *const traced_programs[] = {"sched_process_exec", "sched_process_exit", "sched_switch",
				       "sched_wakeup", "sched_wakeup_new", "task_rename"};

// Every number that follows "key": in a `status --json`, in order.
std::vector<std::uint64_t> json_numbers(const std::string &json, const std::string &key)
{
	const std::string quoted = "\"" + key + "\":";
	std::vector<std::uint64_t> numbers;
	for (auto at = json.find(quoted); at != std::string::npos; at = json.find(quoted, at + 1))
		numbers.push_back(std::strtoull(json.c_str() + at + quoted.size(), nullptr, 10));
	return numbers;
}

std::uint64_t json_number(const std::string &json, const std::string &key)
{
	auto numbers = json_numbers(json, key);
	return numbers.empty() ? ~0ULL : numbers.front();
}

std::vector<std::uint64_t> link_ids(const std::string &json)
{
	return json_numbers(json, "link_id");
}

// Anything in /sys/fs/bpf that belongs to this pin directory, staging included.
std::vector<std::string> leftovers_of(const std::string &pin_dir)
{
	const std::string base = fs::path(pin_dir).filename();
	std::vector<std::string> found;
	for (const auto &entry : fs::directory_iterator(fs::path(pin_dir).parent_path()))
		if (entry.path().filename().string().rfind(base, 0) == 0)
			found.push_back(entry.path());
	return found;
}

TEST(TracerCli, LoadPinsMapsAndLinksAndUnloadRemovesEverything)
{
	ScopedTracer tracer("cli_load");
	ASSERT_EQ(tracer.load_result().exit_code, 0) << tracer.load_result().err;
	EXPECT_THAT(tracer.load_result().out, HasSubstr("loaded at " + tracer.pin_dir()));
	EXPECT_EQ(tracer.load_result().err, "");
	for (const char *map : {"runnable", "usage", "misses", "info"})
		EXPECT_TRUE(fs::exists(tracer.pin_dir() + "/" + map)) << map;
	for (const char *program : traced_programs)
		EXPECT_TRUE(fs::exists(tracer.pin_dir() + "/links/" + program)) << program;
	// commit_creds is pinned where the kernel has fentry, and status says which.
	CommandResult json = tracer.run("status", {"--json"});
	EXPECT_EQ(fs::exists(tracer.pin_dir() + "/links/commit_creds"),
		  json.out.find("\"follows_uid_changes\":true") != std::string::npos)
		<< json.out;

	CommandResult status = tracer.run("status", {"--json"});
	EXPECT_EQ(status.exit_code, 0) << status.err;
	EXPECT_THAT(status.out, HasSubstr("\"loaded\":true"));
	EXPECT_EQ(json_number(status.out, "abi_version"), 1U);
	EXPECT_EQ(json_number(status.out, "capacity"), SCHED_TRACE_DEFAULT_CAPACITY);
	EXPECT_GT(json_number(status.out, "entries"), 0U);
	EXPECT_EQ(link_ids(status.out).size(), std::size(traced_programs));

	CommandResult unload = tracer.run("unload");
	EXPECT_EQ(unload.exit_code, 0) << unload.err;
	EXPECT_THAT(unload.out, HasSubstr("unloaded"));
	EXPECT_THAT(leftovers_of(tracer.pin_dir()), ::testing::IsEmpty());

	CommandResult after = tracer.run("status");
	EXPECT_EQ(after.exit_code, 3);
	EXPECT_THAT(after.out, HasSubstr("not loaded"));
}

TEST(TracerCli, LoadAndUnloadAreIdempotent)
{
	ScopedTracer tracer("cli_twice");
	ASSERT_EQ(tracer.load_result().exit_code, 0) << tracer.load_result().err;
	auto links_before = link_ids(tracer.run("status", {"--json"}).out);

	CommandResult again = tracer.run("load");
	EXPECT_EQ(again.exit_code, 0) << again.err;
	EXPECT_THAT(again.out, HasSubstr("already loaded"));
	EXPECT_EQ(link_ids(tracer.run("status", {"--json"}).out), links_before);

	EXPECT_EQ(tracer.run("unload").exit_code, 0);
	CommandResult second = tracer.run("unload");
	EXPECT_EQ(second.exit_code, 0) << second.err;
	EXPECT_THAT(second.out, HasSubstr("not loaded"));
}

TEST(TracerCli, LoadRepairsAHalfPresentTracer)
{
	ScopedTracer tracer("cli_repair");
	ASSERT_EQ(tracer.load_result().exit_code, 0) << tracer.load_result().err;
	ASSERT_EQ(unlink((tracer.pin_dir() + "/links/sched_switch").c_str()), 0);

	CommandResult broken = tracer.run("status");
	EXPECT_EQ(broken.exit_code, 1);
	EXPECT_THAT(broken.out, HasSubstr("BROKEN"));

	CommandResult load = tracer.run("load");
	EXPECT_EQ(load.exit_code, 0) << load.err;
	EXPECT_THAT(load.out, HasSubstr("replacing"));
	EXPECT_EQ(tracer.run("status").exit_code, 0);
	EXPECT_TRUE(fs::exists(tracer.pin_dir() + "/links/sched_switch"));
}

TEST(TracerCli, LoadClearsWhatACrashedLoadLeft)
{
	const std::string pin_dir = test_pin_dir("cli_crashed");
	const std::string staging = pin_dir + "_loading_999999999";
	ASSERT_EQ(mkdir(staging.c_str(), 0700), 0);
	int map = bpf_map_create(BPF_MAP_TYPE_ARRAY, "left_behind", 4, 4, 1, nullptr);
	ASSERT_GE(map, 0);
	ASSERT_EQ(bpf_obj_pin(map, (staging + "/runnable").c_str()), 0);
	close(map);

	ScopedTracer tracer("cli_crashed");
	ASSERT_EQ(tracer.load_result().exit_code, 0) << tracer.load_result().err;
	EXPECT_FALSE(fs::exists(staging));
}

TEST(TracerCli, CapacityIsAppliedAndAFullMapCountsMisses)
{
	constexpr int capacity = 8;
	ScopedTracer tracer("cli_full", {"--capacity", std::to_string(capacity)});
	ASSERT_EQ(tracer.load_result().exit_code, 0) << tracer.load_result().err;
	std::vector<ChildProcess> tasks;
	for (int i = 0; i < capacity + 4; i++)
		tasks.push_back(spawn_cpu_task());

	std::string status;
	ASSERT_TRUE(wait_until([&] {
		status = tracer.run("status", {"--json"}).out;
		return json_number(status, "misses") > 0;
	})) << status;
	EXPECT_EQ(json_number(status, "capacity"), unsigned(capacity));
	EXPECT_LE(json_number(status, "entries"), unsigned(capacity));

	// Misses since load are history; lost_tasks counts those since the
	// previous snapshot, which the busy tasks left out keep adding to.
	auto source = tracer.open_source();
	Snapshot snapshot = source->take_snapshot();
	EXPECT_GT(snapshot.misses_since_load, 0U);
	EXPECT_LE(snapshot.tasks.size(), std::size_t(capacity));
	EXPECT_TRUE(wait_until([&] { return source->take_snapshot().lost_tasks > 0; }))
		<< "no miss counted between two snapshots";
}

TEST(TracerCli, TasksRunnableBeforeLoadAreSeeded)
{
	ChildProcess busy = spawn_cpu_task();
	ASSERT_TRUE(wait_until([&] { return proc_state(busy.pid()) == 'R'; }));

	ScopedTracer tracer("cli_seed");
	ASSERT_EQ(tracer.load_result().exit_code, 0) << tracer.load_result().err;
	EXPECT_TRUE(find_task(tracer.open_source()->take_snapshot(), busy.pid()));
}

TEST(TracerCli, NeedsRoot)
{
	const uid_t nobody = 65534;
	for (const char *command : {"load", "unload"}) {
		CommandResult result =
			run_command({tracer_path(), command, "--pin-dir", test_pin_dir("cli_root")}, nobody);
		EXPECT_EQ(result.exit_code, 1) << command;
		EXPECT_THAT(result.err, HasSubstr("needs root: Operation not permitted")) << command;
		EXPECT_EQ(count_lines(result.err), 1) << result.err;
	}
	EXPECT_FALSE(fs::exists(test_pin_dir("cli_root")));
}

TEST(TracerCli, RefusesBadArguments)
{
	const std::vector<std::vector<std::string>> cases = {
		{},
		{"frobnicate"},
		{"load", "--capacity", "0"},
		{"load", "--capacity", "-1"},
		{"load", "--capacity", "lots"},
		{"load", "--capacity", "99999999999"},
		{"load", "--pin-dir", "relative/dir"},
		{"unload", "--capacity", "8"},
		{"load", "--json"},
		{"status", "--bogus"},
		{"status", "extra"},
	};
	for (const auto &args : cases) {
		CommandResult result = run_tracer(args);
		std::string shown = ::testing::PrintToString(args);
		EXPECT_EQ(result.exit_code, 2) << shown;
		EXPECT_THAT(result.err, StartsWith("lottery-tracer: ")) << shown;
		EXPECT_THAT(result.err, HasSubstr("usage: lottery-tracer")) << shown;
		EXPECT_EQ(result.out, "") << shown;
	}
}

TEST(TracerCli, RefusesAPinDirectoryOutsideBpffs)
{
	CommandResult result = run_tracer({"load", "--pin-dir", "/tmp/lottery_not_bpffs/sched_trace"});
	EXPECT_EQ(result.exit_code, 1);
	EXPECT_EQ(result.err, "lottery-tracer: /tmp/lottery_not_bpffs is not on a bpffs "
			      "(mount -t bpf bpf /tmp/lottery_not_bpffs)\n");
}

} // namespace
} // namespace lottery::testing
