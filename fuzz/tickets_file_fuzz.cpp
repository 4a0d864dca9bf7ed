// SPDX-License-Identifier: MIT
// The tickets file, reread on SIGHUP from whatever is on disk then:
// parse_tickets_file() is all or nothing, its error names the line, and an
// accepted file means what its plain rewrite means.
#include <cstdint>
#include <string>

#include "fuzz_checks.h"
#include "tickets_file.h"

using namespace lottery;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
	std::string_view text(reinterpret_cast<const char *>(data), size);
	std::string error;
	auto overrides = parse_tickets_file(text, &error);
	if (!overrides) {
		fuzz::check_one_line(error);
		fuzz::check(error.starts_with("line "), "an error that does not name its line", error);
		return 0;
	}
	std::string plain;
	for (auto [pid, tickets] : overrides->by_pid) {
		fuzz::check(pid > 0, "accepted a pid below 1", text);
		fuzz::check(tickets >= 1 && tickets <= max_override_tickets, "accepted tickets out of range",
			    text);
		plain += std::to_string(pid) + " " + std::to_string(tickets) + "\n";
	}
	auto again = parse_tickets_file(plain, nullptr);
	fuzz::check(again && again->by_pid == overrides->by_pid, "the plain rewrite reads back differently",
		    plain);
	return 0;
}
