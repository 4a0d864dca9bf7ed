#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A round the way the Python prototype did it, as the baseline of the round
benchmark: dump a pinned hash map pid -> struct lottery_task (its tracer's
map; round_bench --seed-map pins one) with bpftool as JSON, parse it, then
draw a winner with random.choices weighted by the kernel's nice-to-weight
table, and format one line of output.

    baseline_round.py --map PATH [--rounds N]

Prints one line of key=value pairs, like round_bench:
    baseline entries=E rounds=N median_ns=M p99_ns=P cpu_median_ns=C
"""
import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time

# kernel/sched/core.c: sched_prio_to_weight[nice + 20]
NICE_TO_WEIGHT = [
    88761, 71755, 56483, 46273, 36291, 29154, 23254, 18705, 14949, 11916,
    9548, 7620, 6100, 4904, 3906, 3121, 2501, 1991, 1586, 1277,
    1024, 820, 655, 526, 423, 335, 272, 215, 172, 137,
    110, 87, 70, 56, 45, 36, 29, 23, 18, 15,
]
KTHREAD_FLAG = 1
REALTIME_POLICIES = (1, 2, 6)  # FIFO, RR, DEADLINE


def take_snapshot(map_path):
    dump = subprocess.run(["bpftool", "-j", "map", "dump", "pinned", map_path],
                          check=True, capture_output=True, text=True).stdout
    # bpftool adds "formatted" (the record decoded through the map's BTF);
    # an entry deleted between its key and its lookup comes without it.
    return [entry["formatted"]["value"] for entry in json.loads(dump) if "formatted" in entry]


def run_round(map_path, out):
    tasks = take_snapshot(map_path)
    me = os.getpid()
    candidates = [t for t in tasks
                  if not t["flags"] & KTHREAD_FLAG
                  and t["policy"] not in REALTIME_POLICIES and t["tgid"] != me]
    weights = [NICE_TO_WEIGHT[min(max(t["nice"], -20), 19) + 20] for t in candidates]
    total = sum(weights)
    if not candidates:
        out.write("no candidates\n")
        return len(tasks)
    [winner] = random.choices(range(len(candidates)), weights=weights)
    task = candidates[winner]
    out.write(f"winner pid {task['pid']} ({task['comm']}) nice {task['nice']} "
              f"tickets {weights[winner]} share {100.0 * weights[winner] / total:.1f}% "
              f"of {total} tickets, {len(candidates)} candidates\n")
    out.flush()
    return len(tasks)


def cpu_ns():
    """CPU time of this process and of the bpftool runs it waited for."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return int(total * 1e9)


def percentile(sorted_samples, fraction):
    index = int(fraction * (len(sorted_samples) - 1) + 0.5)
    return sorted_samples[min(index, len(sorted_samples) - 1)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--map", required=True, help="the pinned hash map to dump")
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    map_path = args.map
    samples, cpu_samples = [], []
    entries = 0
    try:
        with open(os.devnull, "w") as out:
            for _ in range(max(args.rounds, 1)):
                start, cpu_start = time.monotonic_ns(), cpu_ns()
                entries = run_round(map_path, out)
                cpu_samples.append(cpu_ns() - cpu_start)
                samples.append(time.monotonic_ns() - start)
    except (OSError, subprocess.CalledProcessError) as error:
        detail = getattr(error, "stderr", "") or str(error)
        sys.exit(f"baseline_round: reading {map_path} with bpftool: {detail.strip()}")
    samples.sort()
    cpu_samples.sort()
    print(f"baseline entries={entries} rounds={len(samples)} "
          f"median_ns={percentile(samples, 0.5)} p99_ns={percentile(samples, 0.99)} "
          f"cpu_median_ns={percentile(cpu_samples, 0.5)}")


if __name__ == "__main__":
    main()
