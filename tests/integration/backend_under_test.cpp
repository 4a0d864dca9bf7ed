// SPDX-License-Identifier: MIT
#include "backend_under_test.h"

#include <cstdlib>
#include <optional>

#include <gtest/gtest.h>
#include <linux/types.h>

#include "lottery_chardev.h"
#include "sched_trace.h"
#include "tracer_fixture.h"

namespace lottery::testing {

namespace {

std::string env_or(const char *name, const char *fallback)
{
	const char *value = std::getenv(name);
	return value && *value ? value : fallback;
}

std::string backend()
{
	return env_or("LOTTERY_TEST_BACKEND", "bpf");
}

bool chardev_under_test()
{
	return backend() == "chardev";
}

bool load_here()
{
	return !chardev_under_test() && env_or("LOTTERY_TEST_NO_LOAD", "0") != "1";
}

std::optional<ScopedTracer> own_tracer;

class BackendEnvironment : public ::testing::Environment {
public:
	void SetUp() override
	{
		ASSERT_TRUE(backend() == "bpf" || backend() == "iter" || backend() == "chardev")
			<< "LOTTERY_TEST_BACKEND=" << backend() << ": expected bpf, iter or chardev";
		if (!load_here())
			return;
		own_tracer.emplace("conformance_" + backend(),
				   std::vector<std::string>{"--mode", backend() == "iter" ? "iter" : "trace"});
		ASSERT_TRUE(own_tracer->loaded()) << own_tracer->load_result().err;
	}

	void TearDown() override { own_tracer.reset(); }
};

} // namespace

void install_backend_environment()
{
	::testing::AddGlobalTestEnvironment(new BackendEnvironment);
}

const char *backend_under_test_name()
{
	static const std::string name = backend();
	return name.c_str();
}

std::unique_ptr<SnapshotSource> open_backend_under_test()
{
	if (chardev_under_test())
		return open_chardev_source(env_or("LOTTERY_TEST_DEVICE", LOTTERY_DEVICE_PATH));
	const std::string pin_dir =
		own_tracer ? own_tracer->pin_dir() : env_or("LOTTERY_TEST_PIN_DIR", SCHED_TRACE_PIN_DIR);
	if (backend() == "iter")
		return open_iter_source(pin_dir);
	return open_bpf_source(pin_dir);
}

} // namespace lottery::testing
