#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Boots Debian's stock kernel in qemu (TCG) with an initramfs of busybox,
# lottery.ko built for that kernel and the project's binaries, runs the
# in-VM test cases and reads their results back from the serial console.
#
#   usage: run.sh [options]
#     --bin-dir DIR      the CMake build's bin/ (default: build/cmake/bin)
#     --out DIR          work directory (default: build/vm)
#     --kernel VER       kernel release to boot (default: newest *-amd64 with headers;
#                        with --vmlinuz only its name)
#     --vmlinuz FILE     boot this kernel image instead (no lottery.ko unless --module)
#     --module KO        use this lottery.ko instead of building one
#     --smp N            virtual CPUs (default 2)
#     --accel ACCEL      qemu's -accel (default tcg; tcg,thread=single for one host thread)
#     --cases DIR        a directory of cases/*.sh (repeatable; default tests/vm/cases)
#     --add SRC=DEST     copy a file or directory into the initramfs (repeatable)
#     --env NAME=VALUE   environment for the cases, through the kernel command line
#     --only REGEX       run only the cases whose name matches
#     --timeout SECONDS  of the whole VM run (default 600)
#
# Every case prints `VMTEST PASS name`, `VMTEST FAIL name: why` or
# `VMTEST SKIP name: why`. Exits 0 only when the VM reached its end marker
# with at least one PASS and no FAIL; 3 when the guest kernel crashed (an
# Oops or panic on the console), 77 when every case was skipped, 1 otherwise. The console is in OUT/console.log.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
bin_dir=$repo/build/cmake/bin
out=$repo/build/vm
kver=
module=
image=
smp=2
accel=tcg
timeout=600
case_dirs=()
adds=()
envs=()

die() { echo "lottery: vm test: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
	case $1 in
	--bin-dir) bin_dir=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--kernel) kver=$2; shift 2 ;;
	--vmlinuz) image=$2; shift 2 ;;
	--module) module=$2; shift 2 ;;
	--smp) smp=$2; shift 2 ;;
	--accel) accel=$2; shift 2 ;;
	--cases) case_dirs+=("$2"); shift 2 ;;
	--add) adds+=("$2"); shift 2 ;;
	--env) envs+=("$2"); shift 2 ;;
	--only) envs+=("VMTEST_ONLY=$2"); shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	*) die "unknown option $1 (see the top of $0)" ;;
	esac
done
[ ${#case_dirs[@]} -gt 0 ] || case_dirs=("$here/cases")

# The tools come from Debian packages; install-deps.sh installs what is missing.
for tool in qemu-system-x86_64 cpio busybox file; do
	command -v $tool >/dev/null || "$repo/scripts/install-deps.sh" || die "cannot install $tool"
done
[ -x /bin/busybox ] && file -L /bin/busybox | grep -q 'statically linked' ||
	die "/bin/busybox is not static: install busybox-static"

if [ -n "$image" ]; then
	kver=${kver:-$(basename "$image")}
elif [ -z "$kver" ]; then
	kver=$("$here/kernel.sh") || exit 1
fi
kernel=${image:-/boot/vmlinuz-$kver}
[ -r "$kernel" ] || die "$kernel is missing or unreadable"

mkdir -p "$out"
out=$(cd "$out" && pwd)
bin_dir=$(cd "$bin_dir" && pwd) || die "no $bin_dir: build the programs first (make build)"
[ -n "$module" ] || [ -n "$image" ] || module=$("$here/build-module.sh" "$kver" "$out/module")

# --- the initramfs -----------------------------------------------------------
root=$out/initramfs
rm -rf "$root"
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,vmtest/cases}
cp /bin/busybox "$root/bin/"
for applet in $(/bin/busybox --list); do
	[ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
done
cp "$here/init.sh" "$root/init"
cp "$here/lib.sh" "$repo/scripts/kmod.sh" "$root/vmtest/"
[ -z "$module" ] || cp "$module" "$root/vmtest/lottery.ko"
for dir in "${case_dirs[@]}"; do
	cp "$dir"/*.sh "$root/vmtest/cases/"
done
printf 'root:x:0:0:root:/:/bin/sh\ntester:x:1000:1000:tester:/tmp:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\ntester:x:1000:\n' >"$root/etc/group"

# The project's programs, with the shared libraries and loader they need.
programs=(lottery lottery-tracer lottery-spawn cpu_task backend_conformance_test chardev_probe)
missing=()
for program in "${programs[@]}"; do
	if [ ! -x "$bin_dir/$program" ]; then
		missing+=("$program")
		continue
	fi
	# At the same path as here too: tests have paths of the build compiled in.
	mkdir -p "$root$bin_dir"
	cp "$bin_dir/$program" "$root$bin_dir/"
	ln -s "$bin_dir/$program" "$root/usr/bin/$program"
	for lib in $(ldd "$bin_dir/$program" 2>/dev/null | grep -o '/[^ ]*' || true); do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
done
for add in "${adds[@]}"; do
	mkdir -p "$root$(dirname "${add#*=}")"
	cp -a "${add%%=*}" "$root${add#*=}"
done
[ ${#missing[@]} -eq 0 ] || echo "vm test: not built, cases that need them fail: ${missing[*]}"

(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$out/initrd.gz"

# --- boot --------------------------------------------------------------------
# slub_debug poisons and red-zones slab objects, so a use-after-free or an
# overflow in the module shows up as a BUG in dmesg, which the last case reads.
cmdline="console=ttyS0 quiet panic=-1 ${module:+slub_debug=FZPU} ${envs[*]}"
log=$out/console.log
echo "vm test: booting $kver ($smp cpus, $accel) with $(du -h "$out/initrd.gz" | cut -f1) of initramfs; console in $log"
# The console goes to a file, not a pipe: a run with a piped console once hung
# with its output lost. tail shows it as it comes.
: >"$log"
start=$(date +%s.%N)
timeout "$timeout" qemu-system-x86_64 -accel "$accel" -cpu max -smp "$smp" -m 1024 \
	-display none -monitor none -serial "file:$log" -no-reboot \
	-kernel "$kernel" -initrd "$out/initrd.gz" -append "$cmdline" </dev/null &
qemu=$!
trap 'kill $qemu 2>/dev/null || true' EXIT
trap 'exit 130' INT TERM
tail -n +1 -f --pid=$qemu "$log" | sed -u 's/\r$//' &
tailer=$!
set +e
wait $qemu
qemu_status=$?
set -e
trap - EXIT INT TERM
wait $tailer 2>/dev/null || true
sed -i 's/\r$//' "$log"
seconds=$(echo "$(date +%s.%N) - $start" | bc)

passed=$(grep -c '^VMTEST PASS ' "$log" || true)
failed=$(grep -c '^VMTEST FAIL ' "$log" || true)
skipped=$(grep -c '^VMTEST SKIP ' "$log" || true)
echo
echo "vm test: $passed passed, $failed failed, $skipped skipped, in ${seconds%.*} s"
grep -a '^VMTEST FAIL ' "$log" || true
# A crashed guest kernel is named as such, whatever the cases printed.
crash=$(grep -a -m 1 -E 'Oops|Kernel panic|general protection fault|kernel BUG at|BUG: (unable|kernel NULL)' "$log" | tr -d '\r' || true)
if [ -n "$crash" ]; then
	echo "lottery: vm test: the VM kernel crashed: ${crash# } (console: $log)" >&2
	exit 3
fi
if ! grep -q '^VMTEST END' "$log"; then
	[ "$qemu_status" -eq 124 ] && die "the VM did not finish within $timeout s (console: $log)"
	die "the VM stopped before the end of the cases (qemu exit status $qemu_status; console: $log)"
fi
grep -a '^VMTEST SKIP ' "$log" || true
[ "$failed" -eq 0 ] || exit 1
[ "$passed" -gt 0 ] && exit 0
[ "$skipped" -gt 0 ] && exit 77
exit 1
