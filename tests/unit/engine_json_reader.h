// SPDX-License-Identifier: MIT
// Reads the engine's JSON back in its unit tests.
#pragma once

#include <cctype>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lottery::test_support {

// A strict JSON reader, enough to check that the output is one valid
// object and to look inside it. It also insists on pure ASCII, which the
// escaping promises. \u00XX reads back as byte XX.
struct Json {
	enum Kind { Null, Bool, Number, String, Array, Object } kind = Null;
	double number = 0;
	std::string text;
	std::vector<Json> items;
	std::vector<std::pair<std::string, Json>> fields;

	const Json &operator[](std::string_view key) const
	{
		for (const auto &[name, value] : fields)
			if (name == key)
				return value;
		throw std::runtime_error("no field " + std::string(key));
	}
	bool has(std::string_view key) const
	{
		for (const auto &field : fields)
			if (field.first == key)
				return true;
		return false;
	}
};

class JsonReader {
public:
	explicit JsonReader(std::string_view s) : s_(s) {}

	Json document()
	{
		Json v = value();
		if (pos_ != s_.size())
			fail("trailing bytes");
		return v;
	}

private:
	[[noreturn]] void fail(const char *why)
	{
		throw std::runtime_error(std::string(why) + " at " + std::to_string(pos_));
	}
	char peek() { return pos_ < s_.size() ? s_[pos_] : '\0'; }
	void expect(char c)
	{
		if (peek() != c)
			fail("unexpected byte");
		++pos_;
	}
	bool literal(std::string_view word)
	{
		if (s_.substr(pos_, word.size()) != word)
			return false;
		pos_ += word.size();
		return true;
	}
	static int hex(char c)
	{
		if (c >= '0' && c <= '9')
			return c - '0';
		if (c >= 'a' && c <= 'f')
			return c - 'a' + 10;
		if (c >= 'A' && c <= 'F')
			return c - 'A' + 10;
		return -1;
	}

	std::string string()
	{
		expect('"');
		std::string out;
		for (;;) {
			if (pos_ >= s_.size())
				fail("unterminated string");
			auto c = static_cast<unsigned char>(s_[pos_++]);
			if (c == '"')
				return out;
			if (c < 0x20 || c >= 0x80)
				fail("raw control or non-ASCII byte in a string");
			if (c != '\\') {
				out += char(c);
				continue;
			}
			char e = s_[pos_++];
			const std::string_view simple = "\"\\/bfnrt", meaning = "\"\\/\b\f\n\r\t";
			if (auto at = simple.find(e); at != std::string_view::npos) {
				out += meaning[at];
			} else if (e == 'u') {
				int code = 0;
				for (int i = 0; i < 4; ++i) {
					int d = hex(peek());
					if (d < 0)
						fail("bad \\u escape");
					code = code * 16 + d;
					++pos_;
				}
				if (code > 0xff)
					fail("\\u escape beyond one byte");
				out += char(code);
			} else {
				fail("bad escape");
			}
		}
	}

	Json number()
	{
		const std::size_t start = pos_;
		auto digits = [&] {
			std::size_t from = pos_;
			while (std::isdigit(static_cast<unsigned char>(peek())))
				++pos_;
			if (pos_ == from)
				fail("digit expected");
		};
		if (peek() == '-')
			++pos_;
		if (peek() == '0')
			++pos_;
		else
			digits();
		if (peek() == '.') {
			++pos_;
			digits();
		}
		if (peek() == 'e' || peek() == 'E') {
			++pos_;
			if (peek() == '+' || peek() == '-')
				++pos_;
			digits();
		}
		Json v;
		v.kind = Json::Number;
		v.number = std::stod(std::string(s_.substr(start, pos_ - start)));
		return v;
	}

	Json value()
	{
		Json v;
		char c = peek();
		if (c == '{') {
			v.kind = Json::Object;
			++pos_;
			while (peek() != '}') {
				if (!v.fields.empty())
					expect(',');
				std::string key = string();
				expect(':');
				v.fields.emplace_back(std::move(key), value());
			}
			++pos_;
		} else if (c == '[') {
			v.kind = Json::Array;
			++pos_;
			while (peek() != ']') {
				if (!v.items.empty())
					expect(',');
				v.items.push_back(value());
			}
			++pos_;
		} else if (c == '"') {
			v.kind = Json::String;
			v.text = string();
		} else if (literal("null")) {
			v.kind = Json::Null;
		} else if (literal("true") || literal("false")) {
			v.kind = Json::Bool;
		} else {
			v = number();
		}
		return v;
	}

	std::string_view s_;
	std::size_t pos_ = 0;
};

inline Json parse(const std::string &s)
{
	return JsonReader(s).document();
}

} // namespace lottery::test_support
