#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Prints the fairness table from fairness.csv (fairness/run.sh): the
observed CPU ratios beside the allocated ones and the paper's, and how far
the wins strayed from the tickets -- lottery's by about sqrt(n p q) quanta
(binomial), stride's by at most one."""
import csv
import math
import sys
from collections import defaultdict

# Waldspurger and Weihl, OSDI 1994, section 5.2 (Mach, 100 ms quantum).
PAPER_RATIO = {10: "~10:1; one of 3 runs 13.42:1"}
PAPER_CURRENCY = {2: "1.01:1", 4: "1.00:1 (after B added a task)"}


def mean(values):
    return sum(values) / len(values)


def wins_off(rows, ratio):
    """Mean |A's wins - expected| over the runs, and sqrt(n p q)."""
    p = ratio / (ratio + 1)
    off = mean([abs(float(r["a_wins"]) - float(r["expected_a_wins"])) for r in rows])
    n = mean([float(r["rounds"]) for r in rows])
    return off, math.sqrt(n * p * (1 - p)), n


def main(path, quantum_ms):
    rows = list(csv.DictReader(open(path)))
    by = defaultdict(list)
    for row in rows:
        by[(row["experiment"], row["policy"], row["allocated"])].append(row)
    seconds = rows[0]["seconds"] if rows else "?"
    policies = sorted({r["policy"] for r in rows if r["experiment"] == "ratio"},
                      key=lambda p: p != "lottery")
    ratios = sorted({int(r["allocated"]) for r in rows if r["experiment"] == "ratio"})

    print(f"Relative rate accuracy: two CPU-bound tasks on one CPU, {seconds} s runs, "
          f"{quantum_ms} ms quantum")
    header = f"{'allocated':>9}"
    for policy in policies:
        header += f" | {policy + ' observed':>16} {'wins off (sqrt npq)':>20}"
    print(header + " | paper (lottery)")
    for ratio in ratios:
        line = f"{str(ratio) + ':1':>9}"
        for policy in policies:
            runs = by[("ratio", policy, str(ratio))]
            observed = mean([float(r["observed"]) for r in runs])
            off, spread, _ = wins_off(runs, ratio)
            line += f" | {observed:>14.2f}:1 {off:>11.1f} ({spread:>5.1f})"
        print(line + " | " + PAPER_RATIO.get(ratio, "~allocated (fig. 4)"))
    if ratios:
        runs = len(by[("ratio", policies[0], str(ratios[0]))])
        print(f"({runs} run(s) per ratio; observed = CPU time A / CPU time B from "
              "/proc/PID/schedstat; wins off = |A's wins - expected| in quanta)")

    currency = sorted((r for r in rows if r["experiment"] == "currency"), key=lambda r: int(r["run"]))
    if currency:
        print("\nCurrencies (--per-user, lottery): user A runs 1 task, user B runs N; "
              "each user should get half")
        print(f"{'B tasks':>9} | {'observed A:B':>14} | paper")
        for r in currency:
            print(f"{r['run']:>9} | {float(r['observed']):>12.2f}:1 | "
                  f"{PAPER_CURRENCY.get(int(r['run']), '')}")

    compensation = [r for r in rows if r["experiment"] == "compensation"]
    if compensation:
        print("\nCompensation tickets (equal tickets; io_task computes 10 ms, then sleeps 10 ms)")
        print(f"{'':>9} | {'cpu_task:io_task':>16} | {'io_task CPU':>11} | io_task wins")
        for r in compensation:
            observed = float(r["observed"])
            share = 1 / (1 + observed) if observed > 0 else 0
            wins = int(r["a_wins"]) + int(r["b_wins"])
            print(f"{r['policy']:>9} | {observed:>14.2f}:1 | {100 * share:>10.1f}% | "
                  f"{r['b_wins']} of {wins}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
