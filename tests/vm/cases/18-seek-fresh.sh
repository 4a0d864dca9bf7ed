# A read at offset 0 (after lseek or by pread) takes a fresh snapshot; other offsets continue it.
. /vmtest/lib.sh
need chardev_probe
load_module
chardev_probe seek
