# The same backend assertions pass against every kernel-side source: the
# tracer (bpf), the task iterator (iter) and the module (chardev).
. /vmtest/lib.sh
need backend_conformance_test
load_module
for backend in bpf iter chardev; do
	echo "--- LOTTERY_TEST_BACKEND=$backend"
	LOTTERY_TEST_BACKEND=$backend backend_conformance_test --gtest_brief=1 ||
		fail "backend_conformance_test failed with LOTTERY_TEST_BACKEND=$backend"
done
