// SPDX-License-Identifier: MIT
// `lottery-tracer status`: exit 0 when loaded and usable, 3 when not loaded,
// 1 when something is pinned but cannot be used (its problem is printed).
// Lost tasks are told apart: "full" (JSON) / FULL (text) says tasks may be
// missing now (every slot handed out); "misses" counts the tasks the tracer
// could not hold since the load.
#include <cstdio>

#include "tracer.h"

namespace lottery::tracer {

namespace {

// Every slot handed out: a task seen for the first time now finds one only
// if an exited task gave one back.
bool full(const TracerState &state)
{
	return state.capacity && state.slots_used >= state.capacity;
}

std::string json_string(const std::string &text)
{
	std::string quoted = "\"";
	for (char c : text) {
		if (c == '"' || c == '\\')
			quoted += '\\';
		if (static_cast<unsigned char>(c) < 0x20) {
			char escaped[8];
			std::snprintf(escaped, sizeof(escaped), "\\u%04x", c);
			quoted += escaped;
			continue;
		}
		quoted += c;
	}
	return quoted + "\"";
}

void print_json(const std::string &pin_dir, const TracerState &state)
{
	std::printf("{\"loaded\":%s,\"pin_dir\":%s", state.present && state.problem.empty() ? "true" : "false",
		    json_string(pin_dir).c_str());
	if (!state.problem.empty())
		std::printf(",\"problem\":%s", json_string(state.problem).c_str());
	if (state.present)
		std::printf(",\"mode\":\"%s\"", mode_name(state.mode));
	if (state.present && state.abi_version && state.mode == Mode::Iter)
		std::printf(",\"abi_version\":%u,\"entries\":%llu", state.abi_version,
			    (unsigned long long)state.entries);
	else if (state.present && state.abi_version)
		std::printf(",\"abi_version\":%u,\"capacity\":%u,\"slots_used\":%u,\"entries\":%llu,"
			    "\"full\":%s,\"misses\":%llu,\"follows_uid_changes\":%s",
			    state.abi_version, state.capacity, state.slots_used,
			    (unsigned long long)state.entries, full(state) ? "true" : "false",
			    (unsigned long long)state.misses, state.follows_uid_changes ? "true" : "false");
	std::printf(",\"links\":[");
	for (std::size_t i = 0; i < state.links.size(); i++) {
		const LinkState &link = state.links[i];
		std::printf("%s{\"name\":%s,\"link_id\":%u,\"prog_id\":%u,\"prog_name\":%s,"
			    "\"run_count\":%llu,\"run_time_ns\":%llu}",
			    i ? "," : "", json_string(link.name).c_str(), link.link_id, link.prog_id,
			    json_string(link.prog_name).c_str(), (unsigned long long)link.run_count,
			    (unsigned long long)link.run_time_ns);
	}
	std::printf("]}\n");
}

void print_text(const std::string &pin_dir, const TracerState &state)
{
	if (!state.present) {
		std::printf("tracer:      not loaded (nothing at %s)\n", pin_dir.c_str());
		return;
	}
	std::printf("tracer:      %s at %s\n", state.problem.empty() ? "loaded" : "BROKEN", pin_dir.c_str());
	std::printf("mode:        %s\n", mode_name(state.mode));
	if (!state.problem.empty())
		std::printf("problem:     %s\n", state.problem.c_str());
	if (!state.abi_version)
		return;
	std::printf("abi version: %u\n", state.abi_version);
	if (state.mode == Mode::Iter) {
		std::printf("runnable:    %llu tasks now\n", (unsigned long long)state.entries);
	} else {
		std::printf("capacity:    %u threads\n", state.capacity);
		std::printf("slots used:  %u%s\n", state.slots_used,
			    full(state) ? ": FULL, runnable tasks may be missing now" : "");
		std::printf("runnable:    %llu tasks now\n", (unsigned long long)state.entries);
		std::printf("misses:      %llu tasks not held (no free slot) since the tracer loaded\n",
			    (unsigned long long)state.misses);
		std::printf("uid:         %s\n", state.follows_uid_changes
						    ? "followed at each change (fentry/commit_creds)"
						    : "read at each context switch (this kernel has no fentry)");
	}
	for (const LinkState &link : state.links) {
		std::printf("link %-4u    %-20s prog %u (%s)", link.link_id, link.name.c_str(),
			    link.prog_id, link.prog_name.c_str());
		if (link.run_count)	// only with kernel.bpf_stats_enabled=1
			std::printf(", %llu runs, %.0f ns/run", (unsigned long long)link.run_count,
				    double(link.run_time_ns) / double(link.run_count));
		std::printf("\n");
	}
}

} // namespace

int status(const Options &options)
{
	TracerState state = inspect(options.pin_dir);

	if (options.json)
		print_json(options.pin_dir, state);
	else
		print_text(options.pin_dir, state);
	if (!state.present)
		return exit_not_loaded;
	return state.problem.empty() ? exit_ok : exit_failure;
}

} // namespace lottery::tracer
