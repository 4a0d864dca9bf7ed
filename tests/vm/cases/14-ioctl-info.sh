# LOTTERY_IOC_GET_INFO reports the ABI and sizes; unknown ioctls get ENOTTY, bad pointers EFAULT.
. /vmtest/lib.sh
need chardev_probe
load_module
chardev_probe info
