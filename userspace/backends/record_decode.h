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

// The same from raw bytes, which must be exactly sizeof(struct lottery_task).
DecodeResult decode_task_record(std::span<const std::byte> bytes);

} // namespace lottery
