// SPDX-License-Identifier: MIT
#include "groups.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>

#include "currency.h"

namespace lottery {

namespace {

// Each candidate's currency, or nullopt for the base currency.
CandidateSet valued_in_base(const CandidateSet &set, const CurrencyTree &tree,
			    const std::vector<std::optional<CurrencyTree::Id>> &currency_of)
{
	CandidateSet funded = set;
	for (std::size_t i = 0; i < funded.candidates.size(); ++i) {
		auto &candidate = funded.candidates[i];
		if (!currency_of[i])
			continue;
		long double value = tree.value_in_base(*currency_of[i], candidate.tickets);
		candidate.tickets = std::max<std::uint64_t>(1, std::llround(value));
	}
	funded.total_tickets = sum_tickets(funded.candidates);
	return funded;
}

} // namespace

CandidateSet fund_groups(const CandidateSet &set, const std::vector<TaskGroup> &groups)
{
	CurrencyTree tree;
	std::vector<CurrencyTree::Id> ids;
	for (const auto &group : groups)
		ids.push_back(tree.add_currency(group.name, CurrencyTree::base, group.funding));

	std::vector<std::optional<CurrencyTree::Id>> currency_of;
	for (const auto &candidate : set.candidates) {
		std::optional<CurrencyTree::Id> id;
		for (std::size_t g = 0; g < groups.size() && !id; ++g) {
			const auto &pids = groups[g].pids;
			if (std::find(pids.begin(), pids.end(), candidate.task.pid) != pids.end() ||
			    std::find(pids.begin(), pids.end(), candidate.task.tgid) != pids.end())
				id = ids[g];
		}
		if (id)
			tree.issue(*id, candidate.tickets);
		currency_of.push_back(id);
	}
	return valued_in_base(set, tree, currency_of);
}

CandidateSet fund_per_user(const CandidateSet &set, std::uint64_t funding_per_user)
{
	CurrencyTree tree;
	std::map<std::uint32_t, CurrencyTree::Id> by_uid;
	std::vector<std::optional<CurrencyTree::Id>> currency_of;
	for (const auto &candidate : set.candidates) {
		const std::uint32_t uid = candidate.task.uid;
		auto it = by_uid.find(uid);
		if (it == by_uid.end())
			it = by_uid.emplace(uid,
					    tree.add_currency("uid " + std::to_string(uid),
							      CurrencyTree::base, funding_per_user))
				     .first;
		tree.issue(it->second, candidate.tickets);
		currency_of.push_back(it->second);
	}
	return valued_in_base(set, tree, currency_of);
}

} // namespace lottery
