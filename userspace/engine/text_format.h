// SPDX-License-Identifier: MIT
// Small text helpers the report code shares. Everything here ignores the C
// and C++ locales: a decimal point is always '.', whatever LC_NUMERIC says.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace lottery::text {

// Bytes outside printable ASCII as \xNN (and '\' as \\), so that a task
// name can never move the terminal's cursor or fake a second line.
std::string printable(std::string_view bytes);

// A JSON string literal, quotes included. Any byte sequence gives valid
// JSON: '"' and '\' are escaped, control bytes and bytes >= 0x7f become
// \u00XX (each byte stands for itself, as in Latin-1), since comm is
// arbitrary bytes and need not be UTF-8.
std::string json_string(std::string_view bytes);

// Fixed notation with `decimals` digits after the point.
std::string fixed(double value, int decimals);

// Shortest text that reads back as the same double, valid as a JSON number
// (non-finite values, which JSON lacks, become 0).
std::string json_number(double value);

// Pads on the left (right-aligned) or on the right (left-aligned).
std::string pad_left(std::string_view text, std::size_t width);
std::string pad_right(std::string_view text, std::size_t width);

} // namespace lottery::text
