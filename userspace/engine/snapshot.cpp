// SPDX-License-Identifier: MIT
#include "snapshot.h"

namespace lottery {

const char *sched_policy_name(SchedPolicy policy)
{
	switch (policy) {
	case SchedPolicy::Normal:
		return "normal";
	case SchedPolicy::Fifo:
		return "fifo";
	case SchedPolicy::RoundRobin:
		return "rr";
	case SchedPolicy::Batch:
		return "batch";
	case SchedPolicy::Idle:
		return "idle";
	case SchedPolicy::Deadline:
		return "deadline";
	case SchedPolicy::Ext:
		return "ext";
	}
	return "unknown";
}

} // namespace lottery
