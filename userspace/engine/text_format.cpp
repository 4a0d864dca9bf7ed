// SPDX-License-Identifier: MIT
#include "text_format.h"

#include <charconv>
#include <cmath>

namespace lottery::text {

namespace {

constexpr char hex_digits[] = "0123456789abcdef";

void append_hex_byte(std::string &out, unsigned char byte)
{
	out += hex_digits[byte >> 4];
	out += hex_digits[byte & 0xf];
}

} // namespace

std::string printable(std::string_view bytes)
{
	std::string out;
	out.reserve(bytes.size());
	for (char c : bytes) {
		auto byte = static_cast<unsigned char>(c);
		if (byte == '\\') {
			out += "\\\\";
		} else if (byte < 0x20 || byte >= 0x7f) {
			out += "\\x";
			append_hex_byte(out, byte);
		} else {
			out += c;
		}
	}
	return out;
}

std::string json_string(std::string_view bytes)
{
	std::string out;
	out.reserve(bytes.size() + 2);
	out += '"';
	for (char c : bytes) {
		auto byte = static_cast<unsigned char>(c);
		if (byte == '"' || byte == '\\') {
			out += '\\';
			out += c;
		} else if (byte < 0x20 || byte >= 0x7f) {
			out += "\\u00";
			append_hex_byte(out, byte);
		} else {
			out += c;
		}
	}
	out += '"';
	return out;
}

std::string fixed(double value, int decimals)
{
	char buf[64];
	auto [end, ec] =
		std::to_chars(buf, buf + sizeof(buf), value, std::chars_format::fixed, decimals);
	if (ec != std::errc())
		return "?";
	return std::string(buf, end);
}

std::string json_number(double value)
{
	if (!std::isfinite(value))
		return "0";
	char buf[64];
	auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), value);
	if (ec != std::errc())
		return "0";
	return std::string(buf, end);
}

std::string pad_left(std::string_view text, std::size_t width)
{
	std::string out;
	if (text.size() < width)
		out.assign(width - text.size(), ' ');
	out += text;
	return out;
}

std::string pad_right(std::string_view text, std::size_t width)
{
	std::string out(text);
	if (out.size() < width)
		out.append(width - out.size(), ' ');
	return out;
}

} // namespace lottery::text
