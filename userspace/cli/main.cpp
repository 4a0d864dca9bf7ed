// SPDX-License-Identifier: MIT
// lottery: draw a winner among the runnable tasks, by tickets, every interval.
#include <iostream>

#include "cli_options.h"
#include "enforce_command.h"
#include "round_loop.h"
#include "round_memory.h"

int main(int argc, char **argv)
{
	using namespace lottery;
	keep_round_memory();
	try {
		CliOptions options = parse_cli({argv + 1, argv + argc});
		if (options.early_exit_text) {
			std::cout << *options.early_exit_text;
			return 0;
		}
		if (options.enforce.enabled)
			return run_enforced_command(options, std::cout, std::cerr);
		return run_rounds(options, std::cout, std::cerr);
	} catch (const UsageError &e) {
		std::cerr << "lottery: " << e.what() << " (see 'lottery --help')\n";
		return 2;
	}
}
