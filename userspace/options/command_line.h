// SPDX-License-Identifier: MIT
// How lottery and lottery-spawn hand their arguments to Boost.Program_options:
// no prefix guessing ("--deb" must not silently mean "--debug") and '%' kept
// away from Boost (percent_escape.h), in values and in messages alike.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

namespace lottery {

// A po::error, its message restored to the arguments as typed.
class CommandLineError : public std::runtime_error {
	using std::runtime_error::runtime_error;
};

// Parses args (argv without the program name) into vm and runs its
// notifiers. Throws CommandLineError.
void parse_command_line(const std::vector<std::string> &args,
			const boost::program_options::options_description &options,
			const boost::program_options::positional_options_description &positional,
			boost::program_options::variables_map &vm);

} // namespace lottery
