// SPDX-License-Identifier: MIT
// Ticket currencies (Waldspurger and Weihl, 1994, section 3.2): tickets
// held in a currency are worth a share of what funds that currency, so a
// group's share of the machine stays fixed however many tickets it issues
// inside, and inflation in one currency cannot touch another.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace lottery {

class CurrencyTree {
public:
	using Id = std::size_t;
	static constexpr Id base = 0; // one base ticket is worth one ticket

	CurrencyTree();

	// A currency funded by `funding` tickets issued in `parent`. Throws
	// std::out_of_range for an unknown parent.
	Id add_currency(std::string name, Id parent, std::uint64_t funding);

	// Tickets a task holds in a currency. Only active tickets should be
	// issued: a currency whose tasks are all blocked stops drawing on its
	// parent's funding, as in the paper.
	void issue(Id currency, std::uint64_t tickets);
	void retire(Id currency,
		    std::uint64_t tickets); // std::invalid_argument if more than issued

	// Tickets of this currency held by tasks plus the funding of its
	// children that are active (have tickets out, directly or below).
	std::uint64_t active_issued(Id currency) const;

	// What `tickets` of `currency` are worth in base tickets:
	// tickets / active_issued * (value of the currency's funding), up the
	// tree. In long double (a 64-bit mantissa): the ratios of 64-bit
	// counts lose less than one part in 2^63 per level, far below one
	// ticket for any total that fits in 64 bits. 0 for an inactive
	// currency.
	long double value_in_base(Id currency, std::uint64_t tickets) const;

	const std::string &name(Id currency) const { return at(currency).name; }
	Id parent(Id currency) const { return at(currency).parent; }
	std::uint64_t funding(Id currency) const { return at(currency).funding; }
	std::size_t size() const { return currencies_.size(); }

private:
	struct Currency {
		std::string name;
		Id parent;
		std::uint64_t funding;	// in the parent's tickets
		std::uint64_t held = 0; // issued to tasks
		std::vector<Id> children;
	};

	const Currency &at(Id currency) const;

	std::vector<Currency> currencies_;
};

} // namespace lottery
