// SPDX-License-Identifier: MIT
// The two pieces every parser of a kernel or lottery text file needs:
// splitting a line into fields and reading one field as a whole number.
#pragma once

#include <charconv>
#include <optional>
#include <string_view>
#include <vector>

namespace lottery {

// Splits at blanks (space, tab, newline), as the kernel prints its files;
// runs of blanks give no empty fields.
inline std::vector<std::string_view> fields_of(std::string_view text)
{
	std::vector<std::string_view> fields;
	while (!text.empty()) {
		auto space = text.find_first_of(" \t\n");
		if (space != 0)
			fields.push_back(text.substr(0, space));
		if (space == std::string_view::npos)
			break;
		text.remove_prefix(space + 1);
	}
	return fields;
}

// The whole of text as a number of type T, or nothing (trailing junk,
// overflow and an empty field all count as no number).
template <typename T> std::optional<T> whole_number(std::string_view text)
{
	T value{};
	auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
	if (text.empty() || ec != std::errc() || end != text.data() + text.size())
		return std::nullopt;
	return value;
}

} // namespace lottery
