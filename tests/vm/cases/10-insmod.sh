# insmod loads the module and devtmpfs makes /dev/lottery.
. /vmtest/lib.sh
module_loaded && fail "lottery is loaded before insmod"
load_module
echo "version $(cat /sys/module/lottery/version), taint $(cat /proc/sys/kernel/tainted)"
dmesg | grep 'lottery: version' || fail "no load line from the module in dmesg"
