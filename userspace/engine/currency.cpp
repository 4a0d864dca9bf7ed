// SPDX-License-Identifier: MIT
#include "currency.h"

#include <stdexcept>

namespace lottery {

CurrencyTree::CurrencyTree()
{
	currencies_.push_back(Currency{"base", base, 0, 0, {}});
}

const CurrencyTree::Currency &CurrencyTree::at(Id currency) const
{
	if (currency >= currencies_.size())
		throw std::out_of_range("no currency " + std::to_string(currency));
	return currencies_[currency];
}

CurrencyTree::Id CurrencyTree::add_currency(std::string name, Id parent, std::uint64_t funding)
{
	at(parent);
	const Id id = currencies_.size();
	currencies_.push_back(Currency{std::move(name), parent, funding, 0, {}});
	currencies_[parent].children.push_back(id);
	return id;
}

void CurrencyTree::issue(Id currency, std::uint64_t tickets)
{
	at(currency);
	std::uint64_t &held = currencies_[currency].held;
	if (__builtin_add_overflow(held, tickets, &held))
		throw std::overflow_error("currency " + name(currency) +
					  ": more than 2^64 tickets");
}

void CurrencyTree::retire(Id currency, std::uint64_t tickets)
{
	at(currency);
	std::uint64_t &held = currencies_[currency].held;
	if (tickets > held)
		throw std::invalid_argument("currency " + name(currency) +
					    ": retiring more tickets than were issued");
	held -= tickets;
}

std::uint64_t CurrencyTree::active_issued(Id currency) const
{
	const Currency &c = at(currency);
	std::uint64_t total = c.held;
	for (Id child : c.children)
		if (active_issued(child) > 0 &&
		    __builtin_add_overflow(total, currencies_[child].funding, &total))
			throw std::overflow_error("currency " + c.name +
						  ": more than 2^64 tickets");
	return total;
}

long double CurrencyTree::value_in_base(Id currency, std::uint64_t tickets) const
{
	const Currency &c = at(currency);
	if (currency == base)
		return static_cast<long double>(tickets);
	const std::uint64_t issued = active_issued(currency);
	if (issued == 0)
		return 0;
	return static_cast<long double>(tickets) / static_cast<long double>(issued) *
	       value_in_base(c.parent, c.funding);
}

} // namespace lottery
