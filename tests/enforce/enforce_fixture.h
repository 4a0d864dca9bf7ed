// SPDX-License-Identifier: MIT
// What every enforced-run test needs: a tracer of its own, busy-loop
// children that die with the test, and a way to say "every one of these
// tasks is running normally again".
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <sys/resource.h>
#include <vector>

#include "agent_process.h"
#include "task_processes.h"
#include "tracer_fixture.h"

namespace lottery::testing {

class EnforceTest : public ::testing::Test {
public:
	void SetUp() override
	{
		if (geteuid() != 0)
			GTEST_SKIP() << "enforcement tests need root";
		ASSERT_TRUE(tracer_.loaded()) << tracer_.load_result().err;
	}

	const std::string &pin_dir() const { return tracer_.pin_dir(); }

	// lottery --enforce on our tracer, then extra.
	std::vector<std::string> enforce_args(std::vector<std::string> extra) const
	{
		std::vector<std::string> args{"--enforce", "--backend", "bpf", "--pin-dir",
					      tracer_.pin_dir()};
		args.insert(args.end(), extra.begin(), extra.end());
		return args;
	}

private:
	ScopedTracer tracer_{"enforce"};
};

// Not stopped, and with the given affinity and nice value.
inline bool running_as(pid_t pid, const cpu_set_t &affinity, int nice)
{
	cpu_set_t now = affinity_of(pid);
	errno = 0;
	int niceness = getpriority(PRIO_PROCESS, pid);
	char state = proc_state(pid);
	return state != 'T' && state != 0 && CPU_EQUAL(&now, &affinity) && niceness == nice;
}

inline std::string pid_text(const ChildProcess &child)
{
	return std::to_string(child.pid());
}

} // namespace lottery::testing
