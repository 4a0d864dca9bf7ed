// SPDX-License-Identifier: MIT
// Boost.Program_options writes its error messages by replacing %name%
// markers with the offending argument, and loops forever when the argument
// holds the marker itself (`lottery '-d%original_token%'` hung; found by
// fuzzing parse_cli). So '%' never reaches Boost: arguments go in with it
// escaped and come out restored, in the parsed values and in messages.
#pragma once

#include <string>
#include <vector>

#include <boost/program_options.hpp>

namespace lottery::percent_escape {

// '%' -> "\x01p" and the escape byte itself -> "\x01e": reversible for any bytes.
inline constexpr char escape = '\x01';

inline std::string hide(const std::string &text)
{
	std::string out;
	for (char c : text) {
		if (c == '%' || c == escape)
			out += {escape, c == '%' ? 'p' : 'e'};
		else
			out += c;
	}
	return out;
}

inline std::string restore(const std::string &text)
{
	std::string out;
	for (std::size_t i = 0; i < text.size(); i++) {
		if (text[i] == escape && i + 1 < text.size() && (text[i + 1] == 'p' || text[i + 1] == 'e'))
			out += text[++i] == 'p' ? '%' : escape;
		else
			out += text[i];
	}
	return out;
}

inline std::vector<std::string> hide(const std::vector<std::string> &args)
{
	std::vector<std::string> hidden;
	for (const auto &arg : args)
		hidden.push_back(hide(arg));
	return hidden;
}

// Every string value parsed, restored in place.
inline void restore(boost::program_options::variables_map &vm)
{
	for (auto &entry : vm) {
		boost::any &value = entry.second.value();
		if (auto *text = boost::any_cast<std::string>(&value))
			*text = restore(*text);
		else if (auto *texts = boost::any_cast<std::vector<std::string>>(&value))
			for (auto &each : *texts)
				each = restore(each);
	}
}

} // namespace lottery::percent_escape
