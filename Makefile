# SPDX-License-Identifier: MIT
# One entry point: CMake for userspace, tests and the BPF programs (clang +
# bpftool), kbuild for the module. Quiet by default; V=1 prints every command.

VERSION := $(shell cat VERSION)
BUILD_DIR ?= build
CMAKE_OUT := $(BUILD_DIR)/cmake
BIN := $(CMAKE_OUT)/bin
PREFIX ?= /usr/local
DESTDIR ?=
# The kernel the module is built for; the VM tests use Debian's stock one.
KERNELRELEASE ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KERNELRELEASE)/build
CMAKE_BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)
# Checkouts that share one kernel (CI, a fresh root on a developer's machine)
# take turns at what loads BPF into it: LOTTERY_HOST_LOCK names a lock file
# they all flock. Unset, nothing waits.
HOST_LOCK := $(if $(LOTTERY_HOST_LOCK),flock $(LOTTERY_HOST_LOCK))

ifeq ($(V),1)
Q :=
msg = @true
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

.DELETE_ON_ERROR:
.PHONY: all build build-demo build-ebpf build-tests build-kmod deps deps-demo demo test test-unit test-root \
	test-vm build-kmod-vm load-ebpf unload-ebpf load-kmod unload-kmod status install uninstall clean \
	dkms-install dkms-uninstall deb bench bench-quick fuzz stress test-asan fairness \
	scx-kernel test-fresh test-vm-scx fairness-vm

all: build

# --- dependencies ----------------------------------------------------------
deps:
	$(Q)scripts/install-deps.sh

deps-demo:
	$(Q)scripts/install-deps.sh demo

# --- everything through CMake: BPF objects and skeletons (cmake/bpf.cmake,
# one line each in bpf/CMakeLists.txt), userspace, tests -----------------------
# A BPF program for another kernel: CMAKE_EXTRA=-DLOTTERY_VMLINUX_H=path/vmlinux.h
# LOTTERY_TESTS=OFF leaves the tests and benchmarks out, and with them the
# need for GoogleTest and Google Benchmark.
cmake_configure = cmake -S . -B $(CMAKE_OUT) -DCMAKE_BUILD_TYPE=$(CMAKE_BUILD_TYPE) \
	-DLOTTERY_TESTS=$(1) $(CMAKE_EXTRA) >/dev/null
cmake_build = cmake --build $(2) -j $(JOBS) $(1) -- --no-print-directory $(if $(filter 1,$(V)),VERBOSE=1,)

$(CMAKE_OUT)/CMakeCache.txt: CMakeLists.txt
	$(call msg,CMAKE,$(CMAKE_OUT))
	$(Q)$(call cmake_configure,ON)

# .bpf.c -> clang -> .bpf.o -> bpftool gen skeleton -> .skel.h, in $(CMAKE_OUT)/bpf
build-ebpf:
	$(Q)test -f $(CMAKE_OUT)/CMakeCache.txt || $(call cmake_configure,ON)
	$(Q)$(call cmake_build,--target bpf,$(CMAKE_OUT))

# Everything; a tree the demo configured without tests gets them now.
build: $(CMAKE_OUT)/CMakeCache.txt
	$(Q)grep -q '^LOTTERY_TESTS:BOOL=ON' $(CMAKE_OUT)/CMakeCache.txt || $(call cmake_configure,ON)
	$(Q)$(call cmake_build,,$(CMAKE_OUT))

# What runner.sh runs, and nothing else: a newcomer's first build.
DEMO_PROGRAMS := lottery lottery-tracer lottery-spawn cpu_task
build-demo:
	$(Q)test -f $(CMAKE_OUT)/CMakeCache.txt || $(call cmake_configure,OFF)
	$(Q)$(call cmake_build,--target $(DEMO_PROGRAMS),$(CMAKE_OUT))

build-tests: build

# --- the kernel module -------------------------------------------------------
build-kmod:
	$(Q)$(MAKE) -C kmod KDIR=$(KDIR) $(if $(filter 1,$(V)),V=1,)

load-kmod: build-kmod
	$(Q)scripts/kmod.sh load kmod/lottery.ko

unload-kmod:
	$(Q)scripts/kmod.sh unload

# For KERNELRELEASE (default: the running kernel); uninstall removes it for all.
dkms-install:
	$(Q)scripts/dkms.sh install $(KERNELRELEASE)

dkms-uninstall:
	$(Q)scripts/dkms.sh uninstall

# --- the tracer --------------------------------------------------------------
load-ebpf: build
	$(Q)$(BIN)/lottery-tracer load

unload-ebpf:
	$(Q)if [ -x $(BIN)/lottery-tracer ]; then $(BIN)/lottery-tracer unload; \
	else rm -rf /sys/fs/bpf/sched_trace; fi

status: build
	$(Q)$(BIN)/lottery-tracer status

# --- the main job and the tests ---------------------------------------------
demo: deps-demo build-demo
	$(Q)BUILD_DIR=$(BUILD_DIR) $(HOST_LOCK) bash runner.sh

# Everything, then the unit and root tests again under ASan and UBSan. With
# a host lock, only the tests that load BPF (labels root, stress) wait for it.
ON_HOST_KERNEL := '^(root|stress)$$'
test: deps build build-kmod-vm
ifeq ($(HOST_LOCK),)
	$(Q)cd $(CMAKE_OUT) && ctest --output-on-failure $(CTEST_ARGS)
else
	$(Q)cd $(CMAKE_OUT) && { ctest --output-on-failure -LE $(ON_HOST_KERNEL) $(CTEST_ARGS); rc=$$?; \
		$(HOST_LOCK) ctest --output-on-failure -L $(ON_HOST_KERNEL) $(CTEST_ARGS) && exit $$rc; }
endif
	$(Q)$(MAKE) --no-print-directory test-asan

test-unit: build
	$(Q)cd $(CMAKE_OUT) && ctest --output-on-failure -L unit $(CTEST_ARGS)

test-root: build
	$(Q)cd $(CMAKE_OUT) && $(HOST_LOCK) ctest --output-on-failure -L root $(CTEST_ARGS)

# The two commands of the README, as written, in a minimal Debian root made
# with debootstrap (RELEASE=bookworm or trixie), from a clone of the
# committed HEAD: proves that the project installs all it needs. Root; logs
# and a summary in $(BUILD_DIR)/fresh-$(RELEASE). FRESH_SECOND replaces
# `sudo make test` (CI's shorter run of the second release).
RELEASE ?= bookworm
FRESH_SECOND ?= sudo make test
test-fresh: deps
	$(Q)scripts/test-fresh.sh --release $(RELEASE) --out $(BUILD_DIR)/fresh-$(RELEASE) \
		--second "$(FRESH_SECOND)"

test-vm: build build-kmod-vm
	$(Q)cd $(CMAKE_OUT) && ctest --output-on-failure -L vm $(CTEST_ARGS)

# One table of every benchmark, also in $(BUILD_DIR)/bench/results.md (root).
# Then the sched_ext VM's: the draw's BPF cost per dispatch against a FIFO
# queue at 10, 1 000 and 10 000 runnable threads (tests/vm-scx/bench.sh).
bench: deps build
	$(Q)bench/run.sh --bin-dir $(BIN) --out $(BUILD_DIR)/bench
	$(Q)tests/vm-scx/bench.sh --bin-dir $(BIN) --out $(BUILD_DIR)/bench/vm-scx

bench-quick: build
	$(Q)bench/run.sh --quick --bin-dir $(BIN) --out $(BUILD_DIR)/bench
	$(Q)tests/vm-scx/bench.sh --quick --bin-dir $(BIN) --out $(BUILD_DIR)/bench/vm-scx

# --- hardening: fuzzing, sanitizers, stress ----------------------------------
# Every libFuzzer target (fuzz/), FUZZ_SECONDS each, on copies of fuzz/corpus/.
FUZZ_SECONDS ?= 180
fuzz:
	$(Q)fuzz/run.sh --build-dir $(BUILD_DIR)/fuzz --seconds $(FUZZ_SECONDS)

# The unit and root tests again, built with ASan and UBSan (root tests need root).
ASAN_OUT := $(BUILD_DIR)/asan
test-asan:
	$(call msg,CMAKE,$(ASAN_OUT))
	$(Q)cmake -S . -B $(ASAN_OUT) -DCMAKE_BUILD_TYPE=$(CMAKE_BUILD_TYPE) -DLOTTERY_SANITIZE=ON \
		$(CMAKE_EXTRA) >/dev/null
	$(Q)$(call cmake_build,,$(ASAN_OUT))
	$(Q)cd $(ASAN_OUT) && $(HOST_LOCK) ctest --output-on-failure -L '^(unit|root)$$' \
		-LE '^(packaging|bench|stress|vm|fuzz)$$' $(CTEST_ARGS)

# The stress tests at full length (`make test` runs them short): fork/exit
# churn against the tracer and the agent, signals at random points of an
# enforced run, and the module under readers, churn and rmmod in the VM.
stress: build build-kmod-vm
	$(Q)cd $(CMAKE_OUT) && LOTTERY_STRESS=long ctest --output-on-failure -L stress -LE vm $(CTEST_ARGS)
	$(Q)tests/vm/run.sh --bin-dir $(BIN) --out $(BUILD_DIR)/vm-stress --only 'stress|dmesg' --env VMTEST_STRESS=long

# The paper's fairness experiment under lottery --enforce (root; about 15
# minutes; FAIRNESS_SECONDS=10 for a quick one): table, CSV and plots in
# $(BUILD_DIR)/fairness.
fairness: build
	$(Q)BUILD_DIR=$(BUILD_DIR) fairness/run.sh

# The same experiments on lottery as the kernel's scheduler (sched_ext), in
# the VM, with EEVDF beside it (about 25 minutes; FAIRNESS_SECONDS=10 for a
# quick one): tables, CSV and plots in $(BUILD_DIR)/fairness-vm.
fairness-vm: build scx-kernel
	$(Q)BUILD_DIR=$(BUILD_DIR) fairness/run-vm.sh

# The VM runs Debian's stock kernel: build the module against its headers,
# for the newest kernel whose image and headers are both installed.
VM_KVER ?= $(shell tests/vm/kernel.sh)
build-kmod-vm:
	$(Q)test -n "$(VM_KVER)"
	$(call msg,KMOD,$(BUILD_DIR)/kmod-vm for $(VM_KVER))
	$(Q)tests/vm/build-module.sh $(VM_KVER) $(BUILD_DIR)/kmod-vm >/dev/null

# The sched_ext VM boots the newest trixie-backports kernel (the host's has no
# sched_ext): fetched through a private apt directory, the .debs cached in
# /var/cache/lottery/scx-kernel; vmlinuz, config and its vmlinux.h land in
# $(SCX_KERNEL_DIR), where the CMake build compiles the scheduler against it
# and the VM test boots it. SCX_KERNEL_FLAGS=--offline uses the cache only.
SCX_KERNEL_DIR := $(CMAKE_OUT)/scx-kernel
scx-kernel:
	$(call msg,KERNEL,$(SCX_KERNEL_DIR))
	$(Q)scripts/scx-kernel.sh --out $(SCX_KERNEL_DIR) $(SCX_KERNEL_FLAGS) >/dev/null

# The sched_ext cases alone (they are in test-vm too): VM_SCX_FLAGS passes
# options on, e.g. VM_SCX_FLAGS="-- --only fair --smp 4".
test-vm-scx: build scx-kernel
	$(Q)tests/vm-scx/run.sh --kernel-dir $(SCX_KERNEL_DIR) --bin-dir $(BIN) \
		--out $(BUILD_DIR)/vm-scx $(VM_SCX_FLAGS)

# --- install -----------------------------------------------------------------
install: build
	$(Q)DESTDIR="$(DESTDIR)" cmake --install $(CMAKE_OUT) --prefix $(PREFIX) >/dev/null
	@echo "installed lottery $(VERSION) under $(DESTDIR)$(PREFIX): files listed in $(CMAKE_OUT)/install_manifest.txt"

# Removes exactly the files the last `make install` from this tree put, as
# CMake listed them (without DESTDIR: give uninstall the same DESTDIR), and
# the directories named lottery it made.
MANIFEST := $(CMAKE_OUT)/install_manifest.txt
uninstall:
	$(Q)test -r $(MANIFEST) || { echo "lottery: nothing to uninstall: $(MANIFEST) is missing (run 'make install' from this tree first)" >&2; exit 1; }
	$(Q)sed 's|^|$(DESTDIR)|' $(MANIFEST) | xargs -r -d '\n' rm -f --
	$(Q)sed -n 's|^\(.*/lottery\)/[^/]*$$|$(DESTDIR)\1|p' $(MANIFEST) | sort -u | \
		xargs -r -d '\n' rmdir --ignore-fail-on-non-empty --
	@echo "removed the $$(grep -c '' $(MANIFEST)) files listed in $(MANIFEST)$(if $(DESTDIR), under $(DESTDIR))"

deb:
	$(Q)BUILD_DIR=$(BUILD_DIR) scripts/build-deb.sh

clean:
	$(Q)rm -rf $(BUILD_DIR)
	$(Q)$(MAKE) -C kmod clean >/dev/null 2>&1 || true
