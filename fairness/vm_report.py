#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""`make fairness-vm`'s report: gathers the `FAIRNESS FILE LINE` lines of the
VM's console (fairness/vm/10-experiment.sh) into OUT/FILE, fills in
the wins from lottery's summaries, and prints the tables: relative rate
accuracy under EEVDF, lottery and stride for the same nice values; lottery's
2:1 ratio in 8 s windows; compensation; currencies."""
import csv
import json
import math
import os
import re
import sys
from collections import defaultdict


def gather(console, out):
    files = defaultdict(list)
    # /init shows a case's output as "  CASE| LINE".
    for line in open(console, errors="replace"):
        m = re.match(r"^\s*\S+\| FAIRNESS (\S+) (.*)$", line.rstrip("\n"))
        if m:
            files[m.group(1)].append(m.group(2))
    for name, lines in files.items():
        path = os.path.join(out, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")
    return files


def wins_by_pid(files, policy):
    lines = files.get(f"summary-{policy}.json", [])
    if not lines:
        return {}
    return {t["pid"]: t["wins"] for t in json.loads(lines[-1])["summary"]["tasks"]}


def main(console, out):
    files = gather(console, out)
    rows = list(csv.DictReader(files["fairness.csv"]))
    for row in rows:
        if row["experiment"] == "ratio" and row["policy"] != "eevdf":
            wins = wins_by_pid(files, row["policy"])
            a, b = int(row["a_wins"]), int(row["b_wins"])  # the pids, until here
            row["a_wins"], row["b_wins"] = wins.get(a, 0), wins.get(b, 0)
            row["rounds"] = row["a_wins"] + row["b_wins"]
            p = float(row["allocated"]) / (float(row["allocated"]) + 1)
            row["expected_a_wins"] = "%.1f" % (p * row["rounds"])
    with open(os.path.join(out, "fairness.csv"), "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=rows[0].keys())
        writer.writeheader()
        writer.writerows(rows)

    ratio = [r for r in rows if r["experiment"] == "ratio"]
    seconds = ratio[0]["seconds"] if ratio else "?"
    print(f"Relative rate accuracy in the sched_ext VM: A at nice 0, B at nice k, one CPU, "
          f"{seconds} s each (lottery and stride hold the nice weights as tickets)")
    print(f"{'nice k':>6} {'allocated':>10} | {'EEVDF':>9} | {'lottery':>9} {'wins off (sqrt npq)':>20} | {'stride':>9}")
    by = {(r["policy"], r["allocated"]): r for r in ratio}
    for allocated in sorted({r["allocated"] for r in ratio}, key=float):
        k = next(r for r in ratio if r["allocated"] == allocated)["run"]
        line = f"{k:>6} {float(allocated):>8.2f}:1"
        for policy in ("eevdf", "lottery", "stride"):
            r = by.get((policy, allocated))
            if not r:
                line += f" | {'-':>9}"
                continue
            line += f" | {float(r['observed']):>7.2f}:1"
            if policy == "lottery" and r["rounds"]:
                n, p = r["rounds"], float(allocated) / (float(allocated) + 1)
                off = abs(r["a_wins"] - float(r["expected_a_wins"]))
                line += f" {off:>11.1f} ({math.sqrt(n * p * (1 - p)):>5.1f})"
        print(line)

    over = files.get("timeline/overtime-lottery.csv", [])[1:]
    if over:
        print("\nFairness over time: lottery at 2:1 tickets, CPU ratio A:B in each 8 s window")
        prev = (0, 0, 0)
        ratios = []
        for line in over:
            t, a, b = map(int, line.split(","))
            da, db = a - prev[1], b - prev[2]
            ratios.append(da / db if db else float("inf"))
            prev = (t, a, b)
        print("  " + " ".join(f"{x:.2f}" for x in ratios))
        m = sum(ratios) / len(ratios)
        sd = math.sqrt(sum((x - m) ** 2 for x in ratios) / max(1, len(ratios) - 1))
        print(f"  mean {m:.3f}:1, sd {sd:.3f} over {len(ratios)} windows")

    response = list(csv.DictReader(files.get("response.csv", [])))
    if response:
        print("\nResponse time: the time a task waits for its next quantum, us (mean, sd, max)")
        print(f"{'allocated':>9} {'client':>6} | {'lottery':>24} | {'stride':>24}")
        by_r = {(r["policy"], r["allocated"], r["client"]): r for r in response}
        for allocated in ("19:1", "7:3"):
            for client in ("A", "B"):
                line = f"{allocated:>9} {client:>6}"
                for policy in ("lottery", "stride"):
                    r = by_r.get((policy, allocated, client))
                    line += " | " + (f"{r['mean_us']:>7} {r['sd_us']:>7} {r['max_us']:>8}" if r else f"{'-':>24}")
                print(line)

    comp = [r for r in rows if r["experiment"] == "compensation"]
    if comp:
        print("\nCompensation tickets (equal tickets; io_task computes a fifth of a slice, then sleeps as long)")
        for r in comp:
            observed = float(r["observed"])
            print(f"  {r['policy']:>7} compensation: cpu_task:io_task {observed:.2f}:1, "
                  f"io_task {100 / (1 + observed):.1f}% of the CPU")

    cur = files.get("timeline/currency.csv", [])[1:]
    if cur:
        print("\nCurrencies: groups A (100:200) and B (100:200, then +300 halfway), equal shares;"
              " A's share of the CPU per half")
        rows_c = [list(map(int, line.split(","))) for line in cur]
        half = len(rows_c) // 2
        for name, lo, hi in (("first half", None, rows_c[half - 1]), ("second half", rows_c[half - 1], rows_c[-1])):
            lo = lo or [0] * len(hi)
            d = [h - l for h, l in zip(hi[1:], lo[1:])]
            total = sum(d)
            print(f"  {name}: A {100 * (d[0] + d[1]) / total:.1f}%  (A1 {100 * d[0] / total:.1f}, "
                  f"A2 {100 * d[1] / total:.1f}, B1 {100 * d[2] / total:.1f}, B2 {100 * d[3] / total:.1f}, "
                  f"B3 {100 * d[4] / total:.1f})")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
