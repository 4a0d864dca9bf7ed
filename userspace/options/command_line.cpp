// SPDX-License-Identifier: MIT
#include "command_line.h"

#include "percent_escape.h"

namespace po = boost::program_options;

namespace lottery {

void parse_command_line(const std::vector<std::string> &args,
			const po::options_description &options,
			const po::positional_options_description &positional, po::variables_map &vm)
{
	try {
		auto style = po::command_line_style::unix_style &
			     ~po::command_line_style::allow_guessing;
		po::store(po::command_line_parser(percent_escape::hide(args))
				  .options(options)
				  .positional(positional)
				  .style(style)
				  .run(),
			  vm);
		po::notify(vm);
		percent_escape::restore(vm);
	} catch (const po::error &e) {
		// Boost quotes the offending argument as typed.
		throw CommandLineError(percent_escape::restore(e.what()));
	}
}

} // namespace lottery
