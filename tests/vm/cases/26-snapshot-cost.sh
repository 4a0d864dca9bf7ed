# How long a whole snapshot takes, alone and with a thousand sleeping tasks to walk past.
. /vmtest/lib.sh
need chardev_probe cpu_task
load_module
chardev_probe time 50
for nice in 0 5 10; do spawn_at_nice $nice; done
# A file of its own: another case's "started" must not stand for ours.
chardev_probe children 1000 60 sleep >/tmp/snapshot-cost.children &
spawned="$spawned $!"
until grep -q started /tmp/snapshot-cost.children 2>/dev/null; do sleep 0.2; done
sleep 1
echo "$(ls -d /proc/[0-9]*/task/* | wc -l) threads on the machine"
chardev_probe time 50
