// SPDX-License-Identifier: MIT
// A task's state letter as /proc shows it (R, S, D, ...), read from a stat
// file: what the bpf backend checks before it drops a record, and what the
// benchmarks' ps-like scan counts.
#pragma once

namespace lottery {

// The letter after the comm in `stat_path` (/proc/PID/stat or
// /proc/PID/task/TID/stat), or 0 when the task is gone. The comm is in
// parentheses and may hold anything, a ')' included: the last ')' ends it.
char proc_task_state(const char *stat_path);

} // namespace lottery
