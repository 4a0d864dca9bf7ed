#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Boots Debian's stock kernel in qemu (TCG) with an initramfs of busybox,
# lottery.ko built for that kernel and the project's binaries, runs the
# in-VM test cases and reads their results back from the serial console.
#
#   usage: run.sh [options]
#     --bin-dir DIR      the CMake build's bin/ (default: build/cmake/bin)
#     --out DIR          work directory (default: build/vm)
#     --kernel VER       kernel release to boot (default: newest *-amd64 with headers)
#     --module KO        use this lottery.ko instead of building one
#     --cases DIR        a directory of cases/*.sh (repeatable; default tests/vm/cases)
#     --add SRC=DEST     copy a file or directory into the initramfs (repeatable)
#     --env NAME=VALUE   environment for the cases, through the kernel command line
#     --only REGEX       run only the cases whose name matches
#     --timeout SECONDS  of the whole VM run (default 600)
#
# Every case prints `VMTEST PASS name` or `VMTEST FAIL name: why`. Exits 0
# only when the VM reached its end marker with at least one PASS and no FAIL.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
bin_dir=$repo/build/cmake/bin
out=$repo/build/vm
kver=
module=
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
	--module) module=$2; shift 2 ;;
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

[ -n "$kver" ] || kver=$("$here/kernel.sh") || exit 1
kernel=/boot/vmlinuz-$kver
[ -r "$kernel" ] || die "$kernel is missing or unreadable"

mkdir -p "$out"
out=$(cd "$out" && pwd)
bin_dir=$(cd "$bin_dir" && pwd) || die "no $bin_dir: build the programs first (make build)"
[ -n "$module" ] || module=$("$here/build-module.sh" "$kver" "$out/module")

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
cp "$module" "$root/vmtest/lottery.ko"
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
cmdline="console=ttyS0 quiet panic=-1 slub_debug=FZPU ${envs[*]}"
log=$out/console.log
echo "vm test: booting $kver with $(du -h "$out/initrd.gz" | cut -f1) of initramfs; console in $log"
start=$(date +%s.%N)
set +e
timeout "$timeout" qemu-system-x86_64 -accel tcg -cpu max -smp 2 -m 1024 \
	-nographic -no-reboot -kernel "$kernel" -initrd "$out/initrd.gz" \
	-append "$cmdline" </dev/null 2>&1 | tr -d '\r' | tee "$log"
qemu_status=${PIPESTATUS[0]}
set -e
seconds=$(echo "$(date +%s.%N) - $start" | bc)

passed=$(grep -c '^VMTEST PASS ' "$log" || true)
failed=$(grep -c '^VMTEST FAIL ' "$log" || true)
echo
echo "vm test: $passed passed, $failed failed, in ${seconds%.*} s"
grep '^VMTEST FAIL ' "$log" || true
if ! grep -q '^VMTEST END' "$log"; then
	[ "$qemu_status" -eq 124 ] && die "the VM did not finish within $timeout s"
	die "the VM stopped before the end of the cases (qemu exit status $qemu_status)"
fi
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
