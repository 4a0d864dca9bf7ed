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

bool chardev_under_test()
{
	return env_or("LOTTERY_TEST_BACKEND", "bpf") == "chardev";
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
		const std::string backend = env_or("LOTTERY_TEST_BACKEND", "bpf");
		ASSERT_TRUE(backend == "bpf" || backend == "chardev")
			<< "LOTTERY_TEST_BACKEND=" << backend << ": expected bpf or chardev";
		if (!load_here())
			return;
		own_tracer.emplace("conformance");
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
	return chardev_under_test() ? "chardev" : "bpf";
}

std::unique_ptr<SnapshotSource> open_backend_under_test()
{
	if (chardev_under_test())
		return open_chardev_source(env_or("LOTTERY_TEST_DEVICE", LOTTERY_DEVICE_PATH));
	if (own_tracer)
		return own_tracer->open_source();
	return open_bpf_source(env_or("LOTTERY_TEST_PIN_DIR", SCHED_TRACE_PIN_DIR));
}

} // namespace lottery::testing
