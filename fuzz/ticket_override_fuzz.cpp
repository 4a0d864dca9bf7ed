// SPDX-License-Identifier: MIT
// `--tickets PID=N`: parse_ticket_override() accepts only a pid and a
// ticket count in their bounds, reads the same values back from their
// plain decimal form, and refuses everything else in one line.
#include <cstdint>
#include <string>

#include "fuzz_checks.h"
#include "tickets.h"

using namespace lottery;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
	std::string_view text(reinterpret_cast<const char *>(data), size);
	std::string error;
	auto parsed = parse_ticket_override(text, &error);
	if (!parsed) {
		fuzz::check_one_line(error);
		return 0;
	}
	auto [pid, tickets] = *parsed;
	fuzz::check(pid > 0, "accepted a pid below 1", text);
	fuzz::check(tickets >= 1 && tickets <= max_override_tickets, "accepted tickets out of range", text);

	std::string plain = std::to_string(pid) + "=" + std::to_string(tickets);
	auto again = parse_ticket_override(plain, nullptr);
	fuzz::check(again && *again == *parsed, "the plain form reads back differently", plain);
	return 0;
}
