# More runnable tasks than a first snapshot buffer holds (64 records): the
# module regrows it and the snapshot is whole, not truncated.
. /vmtest/lib.sh
need chardev_probe
load_module
# A file of its own: 26-snapshot-cost left "started 1000" in /tmp/children,
# which made the wait below end before these children existed.
chardev_probe children 80 60 spin >/tmp/regrow.children &
spawned="$spawned $!"
until grep -q started /tmp/regrow.children 2>/dev/null; do sleep 0.2; done
chardev_probe forms >/tmp/forms 2>&1 || { cat /tmp/forms; exit 1; }
cat /tmp/forms
grep -Eq '^buffer 1: ([0-9]+) records of \1 runnable, ' /tmp/forms || fail "the first snapshot is not whole"
records=$(sed -n 's/^buffer 1: \([0-9]*\) records.*/\1/p' /tmp/forms)
[ "$records" -gt 80 ] || fail "only $records records with 80 spinning tasks and this reader"
