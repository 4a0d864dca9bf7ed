# SPDX-License-Identifier: MIT
# BPF programs: bpf/NAME.bpf.c -> clang -target bpf -> NAME.bpf.o -> bpftool
# gen skeleton -> NAME.skel.h, all under ${CMAKE_BINARY_DIR}/bpf. A loader
# links the interface target NAME_skel to get the skeleton's directory and to
# be built after it. Adding a program is one line:
#
#   lottery_bpf_object(NAME [SOURCE file] [VMLINUX_H header] [CFLAGS flag...] [INSTALL])
#
# NAME       the skeleton is NAME.skel.h and its C type NAME_bpf; the source
#            defaults to bpf/NAME.bpf.c
# VMLINUX_H  the kernel types the program is compiled against (it includes
#            "vmlinux.h"); default: LOTTERY_VMLINUX_H, or when that is empty
#            one generated from the running kernel's /sys/kernel/btf/vmlinux.
#            A scheduler for another kernel (sched_ext on 7.x) names that
#            kernel's header here.
# CFLAGS     extra clang flags for this object only (7.x BTF needs
#            -fms-extensions -Wno-microsoft-anon-tag with clang 14)
# INSTALL    also install NAME.bpf.o under lib/lottery
#
# All objects are built by the target `bpf` (`make build-ebpf`).

set(LOTTERY_VMLINUX_H "" CACHE FILEPATH
  "vmlinux.h for BPF objects that name none (empty: generate it from the running kernel's BTF)")
set(LOTTERY_VMLINUX_BTF "/sys/kernel/btf/vmlinux" CACHE FILEPATH
  "BTF the default vmlinux.h is generated from")
set(LOTTERY_BPF_CFLAGS "" CACHE STRING "extra clang flags for every BPF object")

find_program(LOTTERY_CLANG NAMES clang clang-14 REQUIRED)
find_program(LOTTERY_BPFTOOL NAMES bpftool PATHS /usr/sbin /sbin REQUIRED)
find_program(LOTTERY_LLVM_STRIP NAMES llvm-strip llvm-strip-14 REQUIRED)

set(LOTTERY_BPF_OUT "${CMAKE_BINARY_DIR}/bpf")
file(MAKE_DIRECTORY "${LOTTERY_BPF_OUT}")
add_custom_target(bpf ALL)

if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|i.86)$")
  set(LOTTERY_BPF_ARCH x86)
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64)$")
  set(LOTTERY_BPF_ARCH arm64)
else()
  set(LOTTERY_BPF_ARCH "${CMAKE_SYSTEM_PROCESSOR}")
endif()

# Headers every BPF program may include: a change to any rebuilds them all,
# as the Makefile's rule did (clang 14's depfiles would need CMake's DEPFILE
# policy dance for little gain at this size).
file(GLOB LOTTERY_BPF_HEADERS CONFIGURE_DEPENDS
  "${PROJECT_SOURCE_DIR}/bpf/*.h" "${PROJECT_SOURCE_DIR}/common/*.h")

# The running kernel's types, generated once per build tree on first use.
function(_lottery_default_vmlinux_h out_var)
  set(dir "${LOTTERY_BPF_OUT}/vmlinux-running")
  if(NOT TARGET lottery_vmlinux_running)
    if(NOT EXISTS "${LOTTERY_VMLINUX_BTF}")
      message(FATAL_ERROR "lottery: ${LOTTERY_VMLINUX_BTF} is missing: the BPF programs need a "
                          "kernel with CONFIG_DEBUG_INFO_BTF, or -DLOTTERY_VMLINUX_H=<vmlinux.h>")
    endif()
    file(MAKE_DIRECTORY "${dir}")
    add_custom_command(OUTPUT "${dir}/vmlinux.h"
      COMMAND "${LOTTERY_BPFTOOL}" btf dump file "${LOTTERY_VMLINUX_BTF}" format c > vmlinux.h.tmp
      COMMAND ${CMAKE_COMMAND} -E rename vmlinux.h.tmp vmlinux.h
      WORKING_DIRECTORY "${dir}"
      COMMENT "BTF ${dir}/vmlinux.h"
      VERBATIM)
    add_custom_target(lottery_vmlinux_running DEPENDS "${dir}/vmlinux.h")
  endif()
  set(${out_var} "${dir}/vmlinux.h" PARENT_SCOPE)
endfunction()

function(lottery_bpf_object name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "INSTALL" "SOURCE;VMLINUX_H" "CFLAGS")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "lottery_bpf_object(${name}): unknown arguments ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT arg_SOURCE)
    set(arg_SOURCE "${PROJECT_SOURCE_DIR}/bpf/${name}.bpf.c")
  endif()
  get_filename_component(source "${arg_SOURCE}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  if(NOT arg_VMLINUX_H)
    set(arg_VMLINUX_H "${LOTTERY_VMLINUX_H}")
  endif()

  set(object "${LOTTERY_BPF_OUT}/${name}.bpf.o")
  set(skeleton "${LOTTERY_BPF_OUT}/${name}.skel.h")
  set(vmlinux_dir "${LOTTERY_BPF_OUT}/${name}.vmlinux")

  # The program includes "vmlinux.h": give each object a directory holding
  # exactly the header it asked for, whatever that file is called.
  if(arg_VMLINUX_H)
    get_filename_component(chosen "${arg_VMLINUX_H}" ABSOLUTE BASE_DIR "${PROJECT_SOURCE_DIR}")
  else()
    _lottery_default_vmlinux_h(chosen)
    set(needs_running_btf TRUE)
  endif()
  add_custom_command(OUTPUT "${vmlinux_dir}/vmlinux.h"
    COMMAND ${CMAKE_COMMAND} -E make_directory "${vmlinux_dir}"
    COMMAND ${CMAKE_COMMAND} -E copy_if_different "${chosen}" "${vmlinux_dir}/vmlinux.h"
    DEPENDS "${chosen}"
    VERBATIM)

  separate_arguments(all_flags UNIX_COMMAND "${LOTTERY_BPF_CFLAGS}")
  list(APPEND all_flags ${arg_CFLAGS})
  # -g for BTF and CO-RE relocations; the DWARF alone is stripped afterwards.
  add_custom_command(OUTPUT "${object}"
    COMMAND "${LOTTERY_CLANG}" -g -O2 -Wall -target bpf -D__TARGET_ARCH_${LOTTERY_BPF_ARCH}
            -I "${vmlinux_dir}" -I "${PROJECT_SOURCE_DIR}/bpf" -I "${PROJECT_SOURCE_DIR}/common"
            ${all_flags} -c "${source}" -o "${object}"
    COMMAND "${LOTTERY_LLVM_STRIP}" -g "${object}"
    DEPENDS "${source}" "${vmlinux_dir}/vmlinux.h" ${LOTTERY_BPF_HEADERS}
    COMMENT "BPF ${object}"
    VERBATIM)
  add_custom_command(OUTPUT "${skeleton}"
    COMMAND "${LOTTERY_BPFTOOL}" gen skeleton "${object}" > "${skeleton}.tmp"
    COMMAND ${CMAKE_COMMAND} -E rename "${skeleton}.tmp" "${skeleton}"
    DEPENDS "${object}"
    COMMENT "GEN-SKEL ${skeleton}"
    VERBATIM)

  add_custom_target(${name}_skel_files DEPENDS "${skeleton}")
  add_dependencies(bpf ${name}_skel_files)
  if(needs_running_btf)
    add_dependencies(${name}_skel_files lottery_vmlinux_running)
  endif()
  add_library(${name}_skel INTERFACE)
  target_include_directories(${name}_skel INTERFACE "${LOTTERY_BPF_OUT}")
  add_dependencies(${name}_skel ${name}_skel_files)
  if(arg_INSTALL)
    install(FILES "${object}" DESTINATION lib/lottery)
  endif()
endfunction()
