# SPDX-License-Identifier: MIT
# Sourced by bench/run.sh and its parts: the table rows, number formatting,
# and the cleanup that removes every pin and restores every sysctl the
# benchmarks touched, however the run ends (EXIT runs after INT and TERM too).

bench_pins=()		# private tracer pin dirs to unload
bench_sysctls=()	# "name=value" to restore

bench_log() { echo "bench: $*" >&2; }
bench_die() { echo "lottery: bench: $*" >&2; exit 1; }

bench_cleanup() {
	local pin setting
	for pin in "${bench_pins[@]}"; do
		[ -e "$pin" ] || continue
		"$bin_dir/lottery-tracer" unload --pin-dir "$pin" >/dev/null 2>&1 || rm -rf "$pin"
	done
	for setting in "${bench_sysctls[@]}"; do
		sysctl -q -w "$setting" >/dev/null 2>&1 || true
	done
	bench_pins=() bench_sysctls=()
}
trap bench_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# Loads a tracer of its own into a private pin dir:
# `tracer_load DIR [CAPACITY [MODE]]` (MODE trace, the default here, or iter).
# It runs beside the one under /sys/fs/bpf/sched_trace, if that is loaded.
tracer_load() {
	bench_pins+=("$1")
	"$bin_dir/lottery-tracer" load --pin-dir "$1" --mode "${3:-trace}" ${2:+--capacity "$2"} >/dev/null ||
		bench_die "lottery-tracer load --pin-dir $1 --mode ${3:-trace} failed"
}

tracer_unload() {
	"$bin_dir/lottery-tracer" unload --pin-dir "$1" >/dev/null ||
		bench_die "lottery-tracer unload --pin-dir $1 failed"
}

# Sets a sysctl for the rest of the run; the old value comes back at exit.
sysctl_set() {
	local name=$1 value=$2 old
	old=$(sysctl -n "$name") || bench_die "cannot read sysctl $name"
	bench_sysctls+=("$name=$old")
	sysctl -q -w "$name=$value" >/dev/null || bench_die "cannot set sysctl $name=$value"
}

# Puts back the value the last sysctl_set replaced, now rather than at exit.
sysctl_restore_last() {
	sysctl -q -w "${bench_sysctls[-1]}" >/dev/null || bench_die "cannot restore ${bench_sysctls[-1]}"
	unset 'bench_sysctls[-1]'
}

# `field KEY LINE`: the value of KEY=value in a line of key=value pairs.
field() {
	local pair
	for pair in $2; do
		[ "${pair%%=*}" = "$1" ] && { echo "${pair#*=}"; return 0; }
	done
	return 1
}

# Median of the numbers given as arguments.
median() {
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
		if (NR == 0) exit 1
		if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# Nanoseconds for people: 87 ns, 56.3 us, 2.46 ms, 1.20 s.
fmt_ns() {
	awk -v ns="$1" 'BEGIN {
		if (ns < 1000) printf "%.0f ns", ns
		else if (ns < 1e6) printf "%.1f us", ns / 1e3
		else if (ns < 1e9) printf "%.2f ms", ns / 1e6
		else printf "%.2f s", ns / 1e9 }'
}

# Evaluates "VALUE OP LIMIT" (OP one of < <= > >=) to ok or MISS.
verdict() {
	awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN {
		pass = (op == "<") ? v < l : (op == "<=") ? v <= l : (op == ">") ? v > l : v >= l
		print pass ? "ok" : "MISS" }'
}

# One line of the table: `row METRIC VALUE [TARGET VERDICT]`. Values that
# have no target are there to explain the others.
row() {
	printf '%s\t%s\t%s\t%s\n' "$1" "$2" "${3:--}" "${4:--}" >>"$rows"
}

# A benchmark that could not run: it fails the run (not a timing miss).
broken() {
	row "$1" "failed: $2" - FAILED
	bench_log "$1: $2"
	bench_failures=$((bench_failures + 1))
}
