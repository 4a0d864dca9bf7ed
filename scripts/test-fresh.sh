#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The README's two commands on a fresh machine: a minimal Debian root
# (debootstrap --variant=minbase, then make, git, sudo and ca-certificates,
# as a new user would add), the committed HEAD cloned into /root/lottery,
# which no other user can enter, and there `sudo make demo` and
# `sudo make test` as they are written. Whatever is missing from the
# project's own install steps fails here.
#
#   sudo scripts/test-fresh.sh [--release bookworm|trixie] [--out DIR]
#        [--second 'COMMAND'] [--keep] [--again ROOT]
# --second replaces `sudo make test` (CI's shorter run of another release);
# --keep leaves the root in place (its mounts go anyway); --again ROOT runs
# the two commands once more in a kept root, its clone moved to HEAD (quicker,
# but no longer a fresh machine: for trying fixes).
# Environment: LOTTERY_HOST_LOCK, a lock file shared with other checkouts on
# this kernel: the root's tests take it around what loads BPF (see Makefile).
#
# The bootstrap's packages are cached in /var/cache/lottery, and so are apt's
# downloads (per release): a second run installs the same packages without
# fetching them again. Everything runs in a mount namespace of its own, so
# the root's mounts of /proc, /sys and /dev vanish with the run however it
# ends, and are never seen from the host.
set -euo pipefail

# All in one function, so that bash has read the whole script before it runs:
# editing the file during a run (an hour) cannot change what the run does.
main() {
release=bookworm
out=
second='sudo make test'
keep=0
again=
while [ $# -gt 0 ]; do
	case $1 in
	--release) release=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--second) second=$2; shift 2 ;;
	--keep) keep=1; shift ;;
	--again) again=$2; keep=1; shift 2 ;;
	*) echo "usage: test-fresh.sh [--release bookworm|trixie] [--out DIR] [--second 'COMMAND'] [--keep] [--again ROOT]" >&2; exit 2 ;;
	esac
done
case $release in
bookworm | trixie) ;;
*) echo "lottery: test-fresh: release '$release' is not one the project supports (bookworm, trixie)" >&2; exit 2 ;;
esac

top=$(cd "$(dirname "$0")/.." && pwd)
if [ "$(id -u)" -ne 0 ]; then
	echo "lottery: test-fresh needs root (debootstrap, chroot, mounts): run 'sudo make test-fresh'" >&2
	exit 1
fi
for tool in debootstrap git unshare chroot findmnt; do
	command -v "$tool" >/dev/null || { echo "lottery: test-fresh needs $tool: run 'sudo make deps'" >&2; exit 1; }
done
out=$(realpath -m "${out:-$top/build/fresh-$release}")
mkdir -p "$out"

# A mount namespace of this run's own: the root's mounts die with it.
if [ -z "${LOTTERY_FRESH_NAMESPACE:-}" ]; then
	LOTTERY_FRESH_NAMESPACE=1 exec unshare --mount --propagation private "$0" \
		--release "$release" --out "$out" --second "$second" $([ $keep = 1 ] && echo --keep) \
		${again:+--again "$again"}
fi

cache=/var/cache/lottery
roots=/var/tmp/lottery-fresh
mkdir -p "$cache" "$roots"
summary=$out/summary.txt
: >"$summary"
note() { echo "fresh-$release: $*" | tee -a "$summary"; }

# The same Debian mirror the host uses, and no other host.
host_uris() {
	{
		cat /etc/apt/sources.list.d/*.sources 2>/dev/null | sed -n 's/^[[:space:]]*URIs://p' || true
		cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
			sed -n -E 's/\[[^]]*\]//; s/^[[:space:]]*deb[[:space:]]+([^[:space:]]+).*/\1/p' || true
	} | tr ' ' '\n' | sed -E 's|/+$||' |
		awk -v tail="/$1" 'substr($0, length($0) - length(tail) + 1) == tail && !found++'
}
mirror=$(host_uris debian)
[ -n "$mirror" ] || { echo "lottery: test-fresh: no Debian mirror in /etc/apt/sources.list*" >&2; exit 1; }
security=$(host_uris debian-security)
security=${security:-${mirror%/debian}/debian-security}

# Processes whose root is under $1, by pid.
processes_in() {
	local pid link
	for pid in /proc/[0-9]*; do
		link=$(readlink "$pid/root" 2>/dev/null) || continue
		case $link in "$1" | "$1"/*) echo "${pid#/proc/}" ;; esac
	done
}
mounts_under() { findmnt -n -l -o TARGET | awk -v r="$1" 'index($0, r "/") == 1 || $0 == r' | sort -r; }

if [ -n "$again" ]; then
	root=$(realpath "$again")
	[ -d "$root/root/lottery" ] && [ "${root%/*}" = "$roots" ] ||
		{ echo "lottery: test-fresh: $again is not a root kept by test-fresh --keep" >&2; exit 2; }
	echo $$ >"$root.pid"
fi
# A root left by a run that was killed: its processes, then the directory.
# Its mounts were in that run's namespace, which is gone or not ours.
for stale in "$roots"/*; do
	[ -d "$stale" ] && [ ! -e "$stale.keep" ] || continue
	owner=$(cat "$stale.pid" 2>/dev/null || echo 0)
	[ "$owner" -gt 0 ] && kill -0 "$owner" 2>/dev/null && continue
	for pid in $(processes_in "$stale"); do kill -KILL "$pid" 2>/dev/null || true; done
	if [ -z "$(mounts_under "$stale")" ]; then
		rm -rf --one-file-system "$stale" "$stale.pid"
	fi
done

if [ -z "$again" ]; then
	root=$(mktemp -d "$roots/$release.XXXXXX")
	chmod 755 "$root" # its /: every user of the machine enters it
	echo $$ >"$root.pid"
fi
cleanup() {
	local rc=$? pid tries
	trap - EXIT INT TERM HUP
	for pid in $(jobs -p); do kill -TERM "$pid" 2>/dev/null || true; done
	for tries in 1 2 3 4 5; do
		pid=$(processes_in "$root")
		[ -z "$pid" ] && break
		kill -KILL $pid 2>/dev/null || true
		sleep 1
	done
	for mount in $(mounts_under "$root"); do
		umount "$mount" 2>/dev/null || umount -l "$mount" || true
	done
	if [ -n "$(mounts_under "$root")" ]; then
		echo "lottery: test-fresh: mounts are left under $root; not removing it" >&2
	elif [ $keep = 1 ]; then
		touch "$root.keep"
		echo "fresh-$release: the root is kept in $root (again: --again $root; rm -rf it and $root.* when done)"
	else
		rm -rf --one-file-system "$root"
		rm -f "$root.pid"
	fi
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# Seconds a step took, for the summary. The step runs in the background so
# that a signal reaches the traps at once, not when the step ends.
timed() {
	local name=$1 start rc=0
	shift
	start=$(date +%s)
	"$@" &
	wait $! || rc=$?
	note "$name: $(($(date +%s) - start)) s, exit $rc"
	return $rc
}

bootstrap() {
	local tarball=$cache/debootstrap-$release-minbase.tgz
	if [ ! -s "$tarball" ]; then
		local fetch
		fetch=$(mktemp -d "$roots/fetch.XXXXXX")
		debootstrap --variant=minbase --make-tarball="$tarball.part" "$release" "$fetch" "$mirror" \
			>"$out/bootstrap.log" 2>&1 || { rm -rf "$fetch"; return 1; }
		rm -rf "$fetch"
		mv "$tarball.part" "$tarball"
	fi
	debootstrap --variant=minbase --unpack-tarball="$tarball" "$release" "$root" "$mirror" \
		>>"$out/bootstrap.log" 2>&1
}

# What the host gives every machine: the kernel's file systems, the
# network's names; a fresh bpffs and tracefs, as systemd mounts them.
mount_machine() {
	mount -t proc proc "$root/proc"
	mount --rbind /sys "$root/sys"
	mount -t bpf bpf "$root/sys/fs/bpf"
	mountpoint -q "$root/sys/kernel/tracing" || mount -t tracefs tracefs "$root/sys/kernel/tracing"
	mount --bind /dev "$root/dev"
	mount -t devpts -o newinstance,ptmxmode=0666 devpts "$root/dev/pts"
	mount -t tmpfs -o mode=1777 tmpfs "$root/dev/shm"
	cp /etc/resolv.conf /etc/hosts "$root/etc/"
	if [ -n "${LOTTERY_HOST_LOCK:-}" ]; then
		touch "$LOTTERY_HOST_LOCK" "$root/run/lottery-host.lock"
		mount --bind "$LOTTERY_HOST_LOCK" "$root/run/lottery-host.lock"
	fi
	mkdir -p "$cache/apt-$release"
	mount --bind "$cache/apt-$release" "$root/var/cache/apt/archives"
}

# The apt sources of a Debian install from that mirror; no daemons started.
configure_apt() {
	rm -f "$root/etc/apt/sources.list"
	cat >"$root/etc/apt/sources.list.d/debian.sources" <<-EOF
		Types: deb
		URIs: $mirror
		Suites: $release $release-updates
		Components: main
		Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

		Types: deb
		URIs: $security
		Suites: $release-security
		Components: main
		Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
	EOF
	printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
	chmod 755 "$root/usr/sbin/policy-rc.d"
}

in_root() {
	chroot "$root" /usr/bin/env -i HOME=/root USER=root LOGNAME=root TERM=dumb LANG=C.UTF-8 \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		${LOTTERY_HOST_LOCK:+LOTTERY_HOST_LOCK=/run/lottery-host.lock} "$@"
}

add_user_tools() {
	{
		in_root apt-get update -q &&
			in_root env DEBIAN_FRONTEND=noninteractive \
				apt-get install -y -q --no-install-recommends make git sudo ca-certificates
	} >"$out/user-tools.log" 2>&1 || return 1
	# sudo resets the environment: keep the lock's name for make.
	if [ -n "${LOTTERY_HOST_LOCK:-}" ]; then
		echo 'Defaults env_keep += "LOTTERY_HOST_LOCK"' >"$root/etc/sudoers.d/lottery-host-lock"
		chmod 440 "$root/etc/sudoers.d/lottery-host-lock"
	fi
}

# The committed HEAD, not the work tree: what a clone of the repository gets.
clone_head() {
	local head repo
	head=$(git -C "$top" rev-parse HEAD)
	repo=$(git -C "$top" rev-parse --path-format=absolute --git-common-dir)
	if [ -n "$again" ]; then
		git -C "$root/root/lottery" fetch -q "$repo" '+refs/heads/*:refs/remotes/host/*'
	else
		git clone -q --no-hardlinks --no-checkout "$repo" "$root/root/lottery"
	fi
	git -C "$root/root/lottery" checkout -q --detach "$head"
	chmod 700 "$root/root"
	note "clone of $(git -C "$top" log -1 --format='%h %s' "$head") in /root/lottery (mode $(stat -c %a "$root/root"))"
}

# Each line of the log starts with the seconds since the command began, so
# the phases show: apt, the build, the run.
run_command() {
	local log=$1
	shift
	in_root bash -c "cd /root/lottery && $*" 2>&1 |
		{ SECONDS=0; while IFS= read -r line; do printf '%5d %s\n' "$SECONDS" "$line"; done; } >"$log"
}

note "Debian $release from $mirror, root $root, logs in $out"
if [ -z "$again" ]; then
	timed bootstrap bootstrap
	mount_machine
	configure_apt
	timed "apt-get install make git sudo ca-certificates" add_user_tools
else
	note "again in a kept root: not a fresh machine"
	mount_machine
fi
clone_head
rc=0
timed "sudo make demo" run_command "$out/demo.log" "sudo make demo" || rc=1
timed "$second" run_command "$out/test.log" "$second" || rc=1
# The test runner's own summary lines.
grep -E 'tests passed|Total Test time|did not run|FAILED:|\((Failed|Timeout|Skipped|Not Run|Disabled|SEGFAULT|Subprocess aborted)\)' \
	"$out/test.log" | sed "s/^/fresh-$release: /" | tee -a "$summary" || true
if [ $rc != 0 ]; then
	# What each failed assertion said: the logs stay on the machine that ran
	# them (CI's is gone afterwards), the summary is what gets read.
	grep -E -A8 ': Failure$|^[[:space:]0-9]*==[0-9]+==ERROR' "$out/test.log" | head -80 |
		sed "s/^/fresh-$release: | /" | tee -a "$summary" || true
	note "FAILED: see $out/demo.log and $out/test.log"
fi
exit $rc
}

main "$@"
