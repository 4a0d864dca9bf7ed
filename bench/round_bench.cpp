// SPDX-License-Identifier: MIT
// round_bench: times whole rounds of the agent, as `lottery` runs them
// (snapshot, candidates, ticket table and draw, one line of output), against
// a real backend. With --size the bpf backend's map is first filled with
// synthetic tasks up to that many entries. Prints one line of key=value
// pairs per measurement, for bench/run.sh to read.
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <fcntl.h>
#include <getopt.h>
#include <unistd.h>

#include "bpf_map_reader.h"
#include "scheduler.h"
#include "lottery_chardev.h"
#include "map_read_cost.h"
#include "private_iterator.h"
#include "proc_scan.h"
#include "report.h"
#include "round_memory.h"
#include "sleeping_threads.h"
#include "snapshot_source.h"
#include "synthetic_tasks.h"
#include "timing.h"

using namespace lottery;
using namespace lottery::bench;

namespace {

constexpr const char *usage_text =
	"usage: round_bench [--backend bpf|chardev|iter] [--pin-dir DIR] [--device PATH]\n"
	"                   [--size N] [--rounds N] [--reads N] [--seed-map PATH]\n"
	"                   [--keep]\n"
	"  --size N    bpf: fill the tracer's slots with synthetic tasks to N runnable;\n"
	"              iter: start N sleeping threads and count every task\n"
	"  --pin-dir   iter: a directory to create for the benchmark's own iterator\n"
	"  --rounds N  rounds timed (default 1000), after 10 untimed ones\n"
	"  --reads N   bpf: also time N reads of the slots, and of the seed map batched\n"
	"              and key by key (needs --seed-map);\n"
	"              iter: N reads of the iterator, unparsed, and N scans of /proc\n"
	"  --seed-map PATH  bpf: pin at PATH a hash map pid -> record of the runnable\n"
	"              tasks, as the seed's tracer kept them (for baseline_round.py)\n"
	"  --keep      bpf: leave the synthetic tasks in their slots at exit\n";

volatile sig_atomic_t stop_requested = 0;

struct Options {
	std::string backend = "bpf";
	std::string pin_dir = SCHED_TRACE_PIN_DIR;
	std::string device = LOTTERY_DEVICE_PATH;
	std::size_t size = 0;
	int rounds = 1000;
	int reads = 0;
	std::string seed_map;
	bool keep = false;
};

[[noreturn]] void usage_error(const std::string &what)
{
	std::fprintf(stderr, "round_bench: %s\n%s", what.c_str(), usage_text);
	std::exit(2);
}

long parse_count(const char *text, const char *option)
{
	char *end;
	long value = std::strtol(text, &end, 10);
	if (*end || end == text || value < 0 || value > 10000000)
		usage_error(std::string(option) + " " + text + ": expected a count");
	return value;
}

Options parse_options(int argc, char **argv)
{
	static const struct option long_options[] = {
		{"backend", required_argument, nullptr, 'b'}, {"pin-dir", required_argument, nullptr, 'p'},
		{"device", required_argument, nullptr, 'd'},  {"size", required_argument, nullptr, 's'},
		{"rounds", required_argument, nullptr, 'r'},  {"reads", required_argument, nullptr, 'R'},
		{"seed-map", required_argument, nullptr, 'S'},
		{"keep", no_argument, nullptr, 'k'},	      {},
	};
	Options options;
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", long_options, nullptr)) != -1) {
		switch (opt) {
		case 'b': options.backend = optarg; break;
		case 'p': options.pin_dir = optarg; break;
		case 'd': options.device = optarg; break;
		case 's': options.size = parse_count(optarg, "--size"); break;
		case 'r': options.rounds = parse_count(optarg, "--rounds"); break;
		case 'R': options.reads = parse_count(optarg, "--reads"); break;
		case 'S': options.seed_map = optarg; break;
		case 'k': options.keep = true; break;
		default: usage_error(std::string("unknown option ") + argv[optind - 1]);
		}
	}
	if (options.backend != "bpf" && options.backend != "chardev" && options.backend != "iter")
		usage_error("unknown backend '" + options.backend + "' (expected bpf, chardev or iter)");
	if (options.backend == "iter" && options.pin_dir == SCHED_TRACE_PIN_DIR)
		usage_error("iter: --pin-dir names a new directory for the benchmark's own iterator");
	if (options.backend == "chardev" && (options.size || options.reads))
		usage_error("--size and --reads are for the bpf backend");
	if (options.rounds == 0)
		usage_error("--rounds must be at least 1");
	return options;
}

// One round as run_rounds() in userspace/cli does it, written where the CLI
// writes: a file descriptor, here /dev/null.
// Where the time of one round went, so that a miss says what to work on.
enum Phase { snapshot_phase, candidates_phase, draw_phase, output_phase, phase_count };
constexpr const char *phase_names[phase_count] = {"snapshot", "candidates", "draw", "output"};

struct RoundOutcome {
	std::size_t tasks;
	std::size_t candidates;
	std::uint64_t phase_ns[phase_count];
};

RoundOutcome run_one_round(SnapshotSource &source, Scheduler &scheduler, WinTally &tally,
			   const CandidateFilter &filter, int out_fd)
{
	static const TicketOverrides no_overrides;
	std::uint64_t start = now_ns();
	Snapshot snapshot = source.take_snapshot();
	std::uint64_t snapshot_end = now_ns();
	CandidateSet candidates = select_candidates(snapshot, filter, no_overrides);
	std::uint64_t candidates_end = now_ns();
	RoundResult result = scheduler.run_round(candidates);
	tally.record(result, candidates);
	std::uint64_t draw_end = now_ns();
	std::string line = format_round_text(result, result.winner ? "" : why_no_candidates(candidates, snapshot));
	line += '\n';
	if (write(out_fd, line.data(), line.size()) < 0)
		throw std::runtime_error(std::string("writing to /dev/null: ") + std::strerror(errno));
	std::uint64_t end = now_ns();
	return {snapshot.tasks.size(), candidates.candidates.size(),
		{snapshot_end - start, candidates_end - snapshot_end, draw_end - candidates_end,
		 end - draw_end}};
}

void time_rounds(SnapshotSource &source, const Options &options)
{
	CandidateFilter filter;
	filter.self_tgid = getpid();
	Scheduler scheduler(DrawPolicy::Lottery, 1);
	WinTally tally;
	int out_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (out_fd < 0)
		throw std::runtime_error(std::string("opening /dev/null: ") + std::strerror(errno));
	std::vector<std::uint64_t> samples, cpu_samples, phase_samples[phase_count];
	samples.reserve(options.rounds);
	RoundOutcome last{};

	for (int i = 0; i < 10 && !stop_requested; i++) // warm the caches and the allocator
		run_one_round(source, scheduler, tally, filter, out_fd);
	for (int i = 0; i < options.rounds && !stop_requested; i++) {
		std::uint64_t start = now_ns(), cpu_start = thread_cpu_ns();
		last = run_one_round(source, scheduler, tally, filter, out_fd);
		cpu_samples.push_back(thread_cpu_ns() - cpu_start);
		samples.push_back(now_ns() - start);
		for (int phase = 0; phase < phase_count; phase++)
			phase_samples[phase].push_back(last.phase_ns[phase]);
	}
	close(out_fd);
	TimingSummary summary = summarize(samples);
	std::printf("round backend=%s entries=%zu candidates=%zu rounds=%zu median_ns=%llu p99_ns=%llu "
		    "cpu_median_ns=%llu",
		    source.name(), last.tasks, last.candidates, summary.samples,
		    static_cast<unsigned long long>(summary.median_ns),
		    static_cast<unsigned long long>(summary.p99_ns),
		    static_cast<unsigned long long>(summarize(cpu_samples).median_ns));
	for (int phase = 0; phase < phase_count; phase++)
		std::printf(" %s_ns=%llu", phase_names[phase],
			    static_cast<unsigned long long>(summarize(phase_samples[phase]).median_ns));
	std::printf("\n");
}

void on_stop_signal(int)
{
	stop_requested = 1;
}

// Reads of the iterator to the end, unparsed: the kernel's part of a round.
void time_raw_reads(const std::string &path, int reads)
{
	std::vector<char> buffer(64 * 1024);
	std::vector<std::uint64_t> cpu_samples;
	std::size_t bytes = 0;
	for (int i = 0; i < reads && !stop_requested; i++) {
		std::uint64_t cpu_start = thread_cpu_ns();
		int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			throw std::runtime_error("opening " + path + ": " + std::strerror(errno));
		ssize_t n;
		bytes = 0;
		while ((n = read(fd, buffer.data(), buffer.size())) > 0)
			bytes += static_cast<std::size_t>(n);
		close(fd);
		if (n < 0)
			throw std::runtime_error("reading " + path + ": " + std::strerror(errno));
		cpu_samples.push_back(thread_cpu_ns() - cpu_start);
	}
	std::printf("read bytes=%zu reads=%zu cpu_median_ns=%llu\n", bytes, cpu_samples.size(),
		    static_cast<unsigned long long>(summarize(cpu_samples).median_ns));
}

// The runnable tasks as ps finds them (bench/proc_scan.h), timed.
void time_proc_scan(int scans)
{
	std::vector<std::uint64_t> cpu_samples;
	ProcScan scan;
	for (int i = 0; i < scans && !stop_requested; i++) {
		std::uint64_t cpu_start = thread_cpu_ns();
		scan = scan_proc();
		cpu_samples.push_back(thread_cpu_ns() - cpu_start);
	}
	std::printf("procscan tasks=%zu runnable=%zu scans=%zu cpu_median_ns=%llu\n", scan.tasks,
		    scan.runnable, cpu_samples.size(),
		    static_cast<unsigned long long>(summarize(cpu_samples).median_ns));
}

int run_iter(const Options &options)
{
	std::unique_ptr<SleepingThreads> sleepers;
	if (options.size)
		sleepers = std::make_unique<SleepingThreads>(options.size);
	PrivateIterator iterator(options.pin_dir, options.size > 0);
	auto source = open_iter_source(options.pin_dir);
	time_rounds(*source, options);
	if (!options.reads)
		return stop_requested ? 130 : 0;
	time_proc_scan(options.reads);
	time_raw_reads(iterator.pin_path(), options.reads);
	iterator.enable_stats();
	ProgramRunTime before = iterator.run_time();
	time_raw_reads(iterator.pin_path(), options.reads);
	ProgramRunTime after = iterator.run_time();
	const std::uint64_t runs = after.run_count - before.run_count;
	std::printf("program stats=on runs=%llu ns_per_run=%.0f\n", static_cast<unsigned long long>(runs),
		    runs ? double(after.run_time_ns - before.run_time_ns) / double(runs) : 0.0);
	return stop_requested ? 130 : 0;
}

int run(const Options &options)
{
	if (options.backend == "iter")
		return run_iter(options);
	if (options.backend == "chardev") {
		auto source = open_chardev_source(options.device);
		time_rounds(*source, options);
		return 0;
	}
	TraceMaps maps = open_trace_maps(options.pin_dir);
	SyntheticTasks synthetic(maps);
	if (options.keep)
		synthetic.keep();
	RunnableMapReader reader(maps);
	if (options.size)
		synthetic.fill_to(options.size, reader.read().size());
	if (!options.seed_map.empty()) {
		auto runnable = reader.read();
		synthetic.pin_seed_map(options.seed_map, {runnable.begin(), runnable.end()});
	}
	auto source = open_bpf_source(options.pin_dir);
	time_rounds(*source, options);
	if (options.reads && !stop_requested && synthetic.seed_map_fd() >= 0) {
		MapReadCost cost = measure_map_read_cost(maps, synthetic.seed_map_fd(), options.reads);
		std::printf("read entries=%zu slots_ns_per_entry=%.1f batch_ns_per_entry=%.0f "
			    "key_by_key_ns_per_entry=%.0f\n",
			    cost.entries, cost.slots_ns_per_entry, cost.batch_ns_per_entry,
			    cost.key_by_key_ns_per_entry);
	}
	return stop_requested ? 130 : 0;
}

} // namespace

int main(int argc, char **argv)
{
	Options options = parse_options(argc, argv);
	keep_round_memory(); // as lottery does
	struct sigaction stop = {};
	stop.sa_handler = on_stop_signal;
	for (int sig : {SIGINT, SIGTERM, SIGHUP})
		sigaction(sig, &stop, nullptr);
	try {
		return run(options);
	} catch (const std::exception &error) {
		std::fprintf(stderr, "round_bench: %s\n", error.what());
	}
	return 1;
}
