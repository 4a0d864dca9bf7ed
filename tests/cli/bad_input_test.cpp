// SPDX-License-Identifier: MIT
// Bad input to the `lottery` command: every case must end with one clear
// line on stderr, nothing on stdout, and the documented exit code.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include "run_command.h"

using lottery::testing::count_lines;
using lottery::testing::run_command;

namespace {

struct BadInput {
	const char *name;
	std::vector<std::string> args;
	int exit_code;
	const char *says; // a fragment the message must contain
	bool needs_root = false; // the bpf backend says "needs root" first
};

// A FIFO where a file, a device or a directory is expected: opened for
// reading it would block lottery forever (a SIGTERM with it).
const std::string fifo = "/tmp/lottery-bad-input.fifo";

class Fifo : public ::testing::Environment {
public:
	void SetUp() override
	{
		struct stat st;
		if (lstat(fifo.c_str(), &st) == 0 && !S_ISFIFO(st.st_mode))
			unlink(fifo.c_str());
		if (mkfifo(fifo.c_str(), 0666) != 0 && errno != EEXIST)
			FAIL() << "mkfifo " << fifo;
	}
};
const auto *const fifo_environment = ::testing::AddGlobalTestEnvironment(new Fifo);

void PrintTo(const BadInput &c, std::ostream *os) { *os << c.name; }

class LotteryBadInput : public ::testing::TestWithParam<BadInput> {};

TEST_P(LotteryBadInput, OneLineErrorAndExitCode)
{
	const BadInput &c = GetParam();
	if (c.needs_root && geteuid() != 0)
		GTEST_SKIP() << "as an ordinary user the bpf backend refuses before it opens anything";
	std::vector<std::string> argv = {LOTTERY_BIN};
	argv.insert(argv.end(), c.args.begin(), c.args.end());
	// Within 5 s: a case that blocks is killed (exit 137) and fails.
	auto result = run_command(argv, std::nullopt, 5000);
	EXPECT_EQ(result.exit_code, c.exit_code) << result.err;
	EXPECT_EQ(count_lines(result.err), 1) << result.err;
	EXPECT_EQ(result.err.rfind("lottery: ", 0), 0u) << result.err;
	EXPECT_NE(result.err.find(c.says), std::string::npos) << result.err;
	EXPECT_EQ(result.out, "");
}

// clang-format off
const BadInput arguments[] = {
	{"UnknownOption", {"--bogus"}, 2, "unrecognised option '--bogus'"},
	{"NoPrefixGuessing", {"--deb"}, 2, "unrecognised option '--deb'"},
	{"UnknownBackend", {"--backend", "nope"}, 2, "unknown backend 'nope'"},
	{"UnknownPolicy", {"--policy", "fifo"}, 2, "unknown policy 'fifo'"},
	{"IntervalZero", {"0"}, 2, "interval"},
	{"IntervalNegative", {"--", "-5"}, 2, "interval"},
	{"IntervalNotANumber", {"fast"}, 2, "interval"},
	{"IntervalAbsurd", {"99999999999999999999999"}, 2, "interval"},
	{"IntervalOverAnHour", {"3600001"}, 2, "interval"},
	{"TwoIntervals", {"100", "200"}, 2, "one interval only"},
	{"RoundsNotANumber", {"--rounds", "many"}, 2, "--rounds"},
	{"RoundsZero", {"--rounds", "0"}, 2, "--rounds"},
	{"RoundsMissing", {"--rounds"}, 2, "--rounds"},
	{"SeedNotANumber", {"--seed", "x1"}, 2, "--seed"},
	{"TicketsNoEquals", {"--tickets", "1234"}, 2, "--tickets 1234"},
	{"TicketsBadPid", {"--tickets", "abc=5"}, 2, "--tickets abc=5"},
	{"TicketsPidZero", {"--tickets", "0=5"}, 2, "--tickets 0=5"},
	{"TicketsZero", {"--tickets", "1234=0"}, 2, "--tickets 1234=0"},
	{"TicketsNegative", {"--tickets", "1234=-3"}, 2, "--tickets 1234=-3"},
	{"TicketsHuge", {"--tickets", "1234=99999999999999999999"}, 2, "--tickets 1234="},
	{"PidNotANumber", {"--pid", "init"}, 2, "--pid"},
	{"CommTooLong", {"--comm", "a-name-longer-than-fifteen"}, 2, "--comm"},
	{"UnknownUser", {"--user", "no-such-user-here"}, 2, "no such user"},
	// Typed input comes back escaped: a control byte never makes a second line.
	{"BackendWithNewline", {"--backend", "a\nb"}, 2, "unknown backend 'a\\x0ab'"},
	{"OptionWithEscape", {"--tick\x1b[2J"}, 2, "unrecognised option '--tick\\x1b[2J'"},
	{"IntervalWithNewline", {"1\n"}, 2, "not '1\\x0a'"},
	{"TicketsWithNewline", {"--tickets", "12\n34=5"}, 2, "--tickets 12\\x0a34=5"},
	{"UserWithNewline", {"--user", "x\ny"}, 2, "--user x\\x0ay: no such user"},
	// Boost's own %markers% in an argument once made its message loop forever.
	{"OptionWithBoostMarker", {"-d%original_token%"}, 2, "unrecognised option '-d%original_token%'"},
	{"LongOptionWithBoostMarker", {"--%option%"}, 2, "unrecognised option '--%option%'"},
	// --enforce refuses CPUs before it touches anything (pid 2^22: no such process).
	{"CpusOffline", {"--enforce", "--pid", "4194304", "--cpus", "1023"}, 2, "CPU 1023 does not exist"},
	{"CpusBeyondCpuSetSize", {"--enforce", "--pid", "4194304", "--cpus", "1024"}, 2, "--cpus"},
	{"CpusBackwards", {"--enforce", "--pid", "4194304", "--cpus", "3-1"}, 2, "bad CPU list '3-1'"},
	{"EnforceWithoutProcesses", {"--enforce"}, 2, "--enforce needs processes to manage"},
	{"CpusWithoutEnforce", {"--cpus", "0"}, 2, "--cpus needs --enforce"},
	{"RunWithoutCommand", {"run", "--tickets", "3"}, 2, "run needs a command"},
	// The kernel mechanism's options, refused before anything is loaded.
	{"UnknownMechanism", {"--enforce", "--pid", "4194304", "--mechanism", "fast"}, 2, "unknown mechanism 'fast'"},
	{"MechanismWithoutEnforce", {"--mechanism", "kernel"}, 2, "--mechanism needs --enforce"},
	{"WholeMachineWithPid", {"--whole-machine", "--pid", "4194304"}, 2, "--whole-machine schedules every task"},
	{"WholeMachineRun", {"run", "--whole-machine", "--", "true"}, 2, "--whole-machine does not run commands"},
	{"WholeMachineBySignals", {"--whole-machine", "--mechanism", "signals"}, 2, "needs the kernel mechanism"},
	{"SliceZero", {"--enforce", "--pid", "4194304", "--slice", "0"}, 2, "--slice must be"},
	{"SliceOverASecond", {"--whole-machine", "--slice", "1001"}, 2, "--slice must be"},
	{"SliceWithSignals", {"--enforce", "--pid", "4194304", "--mechanism", "signals", "--slice", "5"}, 2,
	 "--slice is the kernel scheduler's"},
	// Paths are never opened in a way that blocks, and must be what they name
	// (pid 1: refused too, but only after the path).
	{"TicketsFileFifo", {"--enforce", "--pid", "1", "--tickets-file", fifo}, 2, "is a FIFO, not a regular file"},
	{"TicketsFileDevice", {"--enforce", "--pid", "1", "--tickets-file", "/dev/zero"}, 2, "--tickets-file /dev/zero: is a character device"},
	{"TicketsFileDirectory", {"--enforce", "--pid", "1", "--tickets-file", "/"}, 2, "--tickets-file /: is a directory"},
	{"TicketsFileMissing", {"--enforce", "--pid", "1", "--tickets-file", "/nonexistent"}, 2, "--tickets-file /nonexistent: No such file"},
	{"SpawnedFifo", {"--enforce", "--spawned=" + fifo}, 2, "is a FIFO, not a regular file"},
	{"SpawnedDevice", {"--enforce", "--spawned=/dev/zero"}, 2, "--spawned /dev/zero: is a character device"},
	{"DeviceFifo", {"--backend", "chardev", "--device", fifo, "--rounds", "1"}, 1, "is a FIFO, not a character device"},
	{"DeviceOfAnotherDriver", {"--backend", "chardev", "--device", "/dev/zero", "--rounds", "1"}, 1, "/dev/zero: is the device 'zero', not 'lottery'"},
	{"DeviceDirectory", {"--backend", "chardev", "--device", "/", "--rounds", "1"}, 1, "/: is a directory"},
	{"PinDirFifo", {"--backend", "bpf", "--pin-dir", fifo, "--rounds", "1"}, 1, "is a FIFO, not a directory", true},
	{"PinDirRegularFile", {"--backend", "bpf", "--pin-dir", "/etc/passwd", "--rounds", "1"}, 1, "/etc/passwd: is a regular file, not a directory", true},
};
// clang-format on

INSTANTIATE_TEST_SUITE_P(Arguments, LotteryBadInput, ::testing::ValuesIn(arguments),
			 [](const auto &info) { return std::string(info.param.name); });

TEST(LotteryCommand, HelpAndVersionSucceed)
{
	auto help = run_command({LOTTERY_BIN, "--help"});
	EXPECT_EQ(help.exit_code, 0);
	EXPECT_NE(help.out.find("usage: lottery"), std::string::npos);
	EXPECT_EQ(help.err, "");
	auto version = run_command({LOTTERY_BIN, "--version"});
	EXPECT_EQ(version.exit_code, 0);
	EXPECT_EQ(version.out.rfind("lottery ", 0), 0u);
}

} // namespace
