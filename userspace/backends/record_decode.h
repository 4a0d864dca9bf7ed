// SPDX-License-Identifier: MIT
// Turns a struct lottery_task from the kernel into a RunnableTask, refusing
// values no kernel produces. Both backends go through here.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>

#include <linux/types.h>

#include "lottery_task.h"
#include "snapshot.h"

namespace lottery {

// Why a record was refused; empty when it was accepted.
struct DecodeResult {
	std::optional<RunnableTask> task;
	std::string error;
};

DecodeResult decode_task_record(const struct lottery_task &record);

// The same into a task the caller holds, for a backend that decodes thousands
// of records a round: a DecodeResult each (an optional task, a string, two
// moves) cost the bpf backend 0.1 ms a round at 10 000 tasks. On refusal
// returns false, with the reason in *error if error is not null, and leaves
// the task partly written.
bool decode_task_record_into(const struct lottery_task &record, RunnableTask &task,
			     std::string *error);

// The same from raw bytes, which must be exactly sizeof(struct lottery_task).
DecodeResult decode_task_record(std::span<const std::byte> bytes);

} // namespace lottery
