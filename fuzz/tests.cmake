# SPDX-License-Identifier: MIT
# The fuzz targets in `make test` (label "fuzz"): one test builds them with
# clang in their own build directory, then each runs LOTTERY_FUZZ_SECONDS on
# a copy of its corpus and fails on any crash. `make fuzz` runs them longer.
include(${CMAKE_CURRENT_LIST_DIR}/targets.cmake)
set(LOTTERY_FUZZ_SECONDS 30 CACHE STRING "seconds each fuzz target runs in the tests")
get_filename_component(LOTTERY_FUZZ_BUILD_DIR "${CMAKE_BINARY_DIR}/../fuzz" ABSOLUTE)
set(fuzz_run ${CMAKE_CURRENT_LIST_DIR}/run.sh --build-dir ${LOTTERY_FUZZ_BUILD_DIR})

add_test(NAME fuzz_build COMMAND ${fuzz_run} --build-only)
set_tests_properties(fuzz_build PROPERTIES LABELS fuzz FIXTURES_SETUP fuzz_targets TIMEOUT 1200)
foreach(name ${LOTTERY_FUZZ_TARGETS})
  add_test(NAME fuzz_${name} COMMAND ${fuzz_run} --no-build --seconds ${LOTTERY_FUZZ_SECONDS} ${name})
  set_tests_properties(fuzz_${name} PROPERTIES
    LABELS fuzz FIXTURES_REQUIRED fuzz_targets TIMEOUT 300)
endforeach()
