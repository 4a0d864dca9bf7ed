// SPDX-License-Identifier: MIT
// What the CLI prints, as strings: the engine does no I/O. Text is for
// people (task names with unprintable bytes escaped), JSON for scripts (one
// object per line). Numbers never depend on the locale.
#pragma once

#include <string>
#include <string_view>

#include "candidates.h"
#include "scheduler.h"
#include "tally.h"

namespace lottery {

// "round 3: winner pid 1234 (cpu_task) nice -5 tickets 3121 share 28.4% of
// 10986 tickets, 5 candidates"; with several winners they are listed
// separated by "; ". Without a winner: "round 3: no winner: <reason>",
// the reason defaulting to "no candidates" (why_no_candidates says more).
// When runnable tasks were missing from the snapshot, either way, "; lost:
// 4 runnable tasks missing from this snapshot, 58 misses since the tracer
// loaded" follows (the misses only from a source that counts them).
std::string format_round_text(const RoundResult &result, std::string_view no_winner_reason = {});

// The --debug table: PID TGID COMM NICE POLICY CPU TICKETS SHARE, then the
// real-time tasks marked "not drawn", then one line of counts.
std::string format_candidate_table(const CandidateSet &set);

// One JSON object, no newline:
// {"round":3,"winner":{"pid":..,"tgid":..,"comm":"..","nice":..,
//  "sched_policy":"normal","cpu":..,"tickets":..,"share":0.284},
//  "total_tickets":..,"candidates":5,"lost_tasks":0,"misses_since_load":0}
// (lost_tasks: runnable tasks missing from this round's snapshot;
// misses_since_load: the tracer's refused inserts since it loaded, 0 from
// a source that keeps no count; see snapshot.h)
// plus "winners":[...] when a round has more than one, "winner":null and
// "reason" when it has none, and with a candidate set "candidate_list" and
// "realtime" arrays of every task (pid, tgid, uid, comm, nice, sched_policy, cpu,
// and tickets for candidates).
std::string format_round_json(const RoundResult &result, const CandidateSet *candidates,
			      std::string_view no_winner_reason = {});

// The summary at exit: PID COMM NICE TICKETS WINS OBSERVED% PROMISED%,
// both shares out of all wins, after the lost line below.
std::string format_summary_text(const WinTally &tally);

// "lost: 12 of 40 rounds were drawn with runnable tasks missing from the
// snapshot (at most 5 in one round); 58 misses since the tracer loaded\n",
// or nothing when no round was.
std::string format_lost_summary_text(const WinTally &tally);

// {"rounds":N,"wins":W,"rounds_with_lost_tasks":K,"most_lost_tasks":X,
//  "misses_since_load":M,"tasks":[{"pid":..,"comm":..,"nice":..,"tickets":..,
//  "wins":..,"expected_wins":..,"observed_share":..,"promised_share":..}]}
std::string format_summary_json(const WinTally &tally);

// "rounds_with_lost_tasks":K,"most_lost_tasks":X,"misses_since_load":M --
// the lost fields of both summaries (enforced runs' too).
std::string format_lost_summary_json_fields(const WinTally &tally);

// tickets / total as a fraction, 0 when total is 0.
double ticket_share(std::uint64_t tickets, std::uint64_t total);

} // namespace lottery
