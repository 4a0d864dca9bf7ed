# SPDX-License-Identifier: MIT
# The fuzz targets, one per parser of outside data: fuzz/<name>_fuzz.cpp,
# seeds in fuzz/corpus/<name>/. Read by fuzz/CMakeLists.txt (which builds
# them) and fuzz/tests.cmake (which runs them from `make test`).
set(LOTTERY_FUZZ_TARGETS
  chardev_snapshot  # /dev/lottery snapshots
  task_record       # one struct lottery_task, from the BPF map or the device
  ticket_override   # --tickets PID=N
  tickets_file      # --tickets-file, reread on SIGHUP
  proc_files        # /proc/PID/{stat,schedstat,status}, lottery-spawn's state file
  command_line)     # lottery's arguments
