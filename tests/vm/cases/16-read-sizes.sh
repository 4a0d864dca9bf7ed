# Reads of 1, 7, 61, 4096 and 1 MiB bytes all give whole, well-formed snapshots.
. /vmtest/lib.sh
need chardev_probe cpu_task
load_module
for nice in 0 5 10; do spawn_at_nice $nice; done
chardev_probe forms
