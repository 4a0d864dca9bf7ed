# Several readers at once, each at random buffer sizes, all get valid snapshots.
. /vmtest/lib.sh
need chardev_probe cpu_task
load_module
spawn_at_nice 3
chardev_probe readers 4 3
