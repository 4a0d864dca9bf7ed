# SPDX-License-Identifier: MIT
# Part of bench/run.sh: what the tracer costs the whole machine. Scheduler
# benchmarks run in alternating pairs with and without a tracer of our own
# loaded (which one goes first alternates too), and the ratio of the medians
# is reported; then the kernel's BPF statistics give each program's own cost
# per event (run_time_ns / run_cnt), with kernel.bpf_stats_enabled on only
# for that part.

# `timed KIND`: "WALL_S CPU_MS" of one run of perf bench sched pipe (pipe; on
# one CPU: pipe1),
# hackbench with its default 10 groups, 400 tasks (hackbench), or with 2
# (hackbench2). Wall time is what the benchmarks report; CPU time
# (task-clock, which includes the BPF programs run in the tasks' context) is
# what other work on a shared machine disturbs least.
timed() {
	local stat=$out/task-clock.txt wall
	case $1 in
	pipe)
		wall=$(perf stat -x, -e task-clock -o "$stat" -- \
			perf bench -f simple sched pipe -l "$pipe_loops" 2>/dev/null | awk 'NF { v = $1 } END { print v }') ;;
	pipe1) # both ends on one CPU: no cross-CPU wakeups, so the steadiest figure
		wall=$(perf stat -x, -e task-clock -o "$stat" -- taskset -c 0 \
			perf bench -f simple sched pipe -l "$pipe_loops" 2>/dev/null | awk 'NF { v = $1 } END { print v }') ;;
	hackbench)
		wall=$(perf stat -x, -e task-clock -o "$stat" -- \
			hackbench -l "$hackbench_loops" 2>/dev/null | awk '/^Time:/ { print $2 }') ;;
	hackbench2)
		wall=$(perf stat -x, -e task-clock -o "$stat" -- \
			hackbench -g 2 -l "$hackbench_loops" 2>/dev/null | awk '/^Time:/ { print $2 }') ;;
	esac
	[ -n "$wall" ] || return 1
	echo "$wall $(awk -F, '$3 == "task-clock" { print $1 }' "$stat")"
}

# `slowdown_row NAME UNIT TARGET "WITH..." "WITHOUT..."`: the ratio of the medians.
slowdown_row() {
	local name=$1 unit=$2 target=$3 on off pct
	on=$(median $4) && off=$(median $5) || { broken "$name" "no timings"; return; }
	pct=$(awk -v on="$on" -v off="$off" 'BEGIN { printf "%+.1f", (on / off - 1) * 100 }')
	row "$name, median loaded / nothing" "$on $unit / $off $unit = $pct%" "$target" \
		"$([ "$target" = - ] && echo - || verdict "$pct" '<' "${target//[^0-9.]/}")"
}

# Other tracers on the machine run on both sides of every pair: say so.
note_other_tracers() {
	local runnable others=()
	for runnable in /sys/fs/bpf/*/runnable; do
		[ -e "$runnable" ] && others+=("$(dirname "$runnable")")
	done
	[ ${#others[@]} -eq 0 ] || row "note: also loaded during the pairs: ${others[*]}" "both sides include it"
}

# Nothing loaded, the tracer (trace mode) and the iterator (iter mode, read
# by nobody, as between rounds) take turns, their order rotating each time.
bench_machine_cost() {
	local pin=/sys/fs/bpf/lottery_cost_$$ i j state kind result
	local states=(off trace iter)
	declare -A wall=() cpu=()
	command -v perf >/dev/null && command -v hackbench >/dev/null ||
		{ broken "tracer cost" "perf or hackbench missing (sudo make deps)"; return; }
	note_other_tracers
	bench_log "tracer cost: $cost_pairs rounds of perf bench sched pipe -l $pipe_loops (on any CPU, and on one), hackbench -l $hackbench_loops (10 groups) and -g 2, with nothing, the tracer, the iterator"
	for ((i = 0; i < cost_pairs; i++)); do
		for ((j = 0; j < 3; j++)); do
			state=${states[(i + j) % 3]}
			[ "$state" = off ] || tracer_load "$pin" "" "$state"
			for kind in pipe pipe1 hackbench hackbench2; do
				result=$(timed $kind) || { broken "tracer cost" "$kind gave no time"; return; }
				wall[$kind.$state]+=" ${result% *}" cpu[$kind.$state]+=" ${result#* }"
			done
			[ "$state" = off ] || tracer_unload "$pin"
		done
	done
	local mode target
	for mode in trace iter; do
		target=-
		[ "$mode" = iter ] && target="< 1%"
		slowdown_row "$mode: perf bench sched pipe ($cost_pairs runs): wall" s "$target" "${wall[pipe.$mode]}" "${wall[pipe.off]}"
		slowdown_row "  $mode: CPU time" ms "$target" "${cpu[pipe.$mode]}" "${cpu[pipe.off]}"
		slowdown_row "$mode: perf bench sched pipe on one CPU ($cost_pairs runs): wall" s "$target" "${wall[pipe1.$mode]}" "${wall[pipe1.off]}"
		slowdown_row "  $mode: CPU time" ms "$target" "${cpu[pipe1.$mode]}" "${cpu[pipe1.off]}"
		slowdown_row "$mode: hackbench, 10 groups ($cost_pairs runs): wall" s "$target" "${wall[hackbench.$mode]}" "${wall[hackbench.off]}"
		slowdown_row "  $mode: CPU time" ms "$target" "${cpu[hackbench.$mode]}" "${cpu[hackbench.off]}"
		slowdown_row "$mode: hackbench -g 2 ($cost_pairs runs): wall" s "$target" "${wall[hackbench2.$mode]}" "${wall[hackbench2.off]}"
		slowdown_row "  $mode: CPU time" ms "$target" "${cpu[hackbench2.$mode]}" "${cpu[hackbench2.off]}"
	done
	bench_program_cost "$pin" "$(median ${cpu[pipe1.trace]})" "$(median ${cpu[pipe1.off]})"
	bench_iter_idle "$pin"
}

# "NAME RUN_TIME_NS RUN_CNT" per program of the tracer at $1. bpftool reads
# the kernel's counters; the tracer's status names the programs.
program_stats() {
	"$bin_dir/lottery-tracer" status --pin-dir "$1" --json | python3 -c '
import json, subprocess, sys
for link in json.load(sys.stdin)["links"]:
    prog = json.loads(subprocess.run(["bpftool", "-j", "prog", "show", "id", str(link["prog_id"])],
                                     check=True, capture_output=True, text=True).stdout)
    print(link["name"], prog.get("run_time_ns", 0), prog.get("run_cnt", 0))'
}

# The programs' own cost per event, with the statistics on (they add two
# clock reads to every run, about 40 ns here: an empty program shows that
# much), under each load apart: the goal is the 400-task hackbench, where
# the caches are busiest; the 80-task one, sched pipe (hot caches) and
# exec/exit are shown too. Then an estimate without the statistics: the
# extra CPU time of sched pipe on one CPU with the tracer over the events
# one run makes.
# `bench_program_cost PIN PIPE1_CPU_MS_ON PIPE1_CPU_MS_OFF`
bench_program_cost() {
	local pin=$1 name run_ns runs pipe_events load
	sysctl_set kernel.bpf_stats_enabled 1
	tracer_load "$pin"
	bench_log "tracer cost per event: kernel.bpf_stats_enabled=1 while each load runs"
	program_stats "$pin" >"$out/program-stats.0"
	timed pipe1 >/dev/null
	program_stats "$pin" >"$out/program-stats.pipe"
	timed hackbench >/dev/null # 400 tasks: a busy map
	program_stats "$pin" >"$out/program-stats.hackbench"
	timed hackbench2 >/dev/null # 80 tasks
	program_stats "$pin" >"$out/program-stats.hackbench2"
	for _ in $(seq 100); do /bin/true; done # exec and exit events
	program_stats "$pin" >"$out/program-stats.exec" || broken "tracer cost per event" "bpftool prog show failed"
	tracer_unload "$pin"
	sysctl_restore_last
	local previous=$out/program-stats.0 all total
	for load in pipe hackbench hackbench2 exec; do
		# "NAME NS RUNS" per program over this load alone
		paste "$previous" "$out/program-stats.$load" |
			awk '{ print $1, $5 - $2, $6 - $3 }' >"$out/program-cost.$load"
		previous=$out/program-stats.$load
	done
	pipe_events=$(awk '{ n += $3 } END { print n + 0 }' "$out/program-cost.pipe")
	all=$(awk '{ t += $2; n += $3 } END { if (n) printf "%d %d", t / n, n }' "$out/program-cost.hackbench")
	total=${all#* }
	while read -r name run_ns runs; do
		[ "$runs" -gt 0 ] || { row "tracer: $name per event under hackbench" "never ran"; continue; }
		local ns=$((run_ns / runs))
		# Programs with under 1% of the events weigh nothing in the average.
		if [ $((runs * 100)) -ge "$total" ]; then
			row "tracer: $name per event under hackbench ($runs events, stats on)" "$ns ns" "< 100 ns" "$(verdict "$ns" '<' 100)"
		else
			row "tracer: $name per event under hackbench ($runs events, stats on)" "$ns ns"
		fi
	done <"$out/program-cost.hackbench"
	[ -n "$all" ] || { broken "tracer cost per event" "no program ran"; return; }
	row "tracer: all programs per event under hackbench, 400 tasks ($total events, stats on)" "${all% *} ns" "< 100 ns" \
		"$(verdict "${all% *}" '<' 100)"
	row "tracer: all programs per event under hackbench -g 2, 80 tasks (stats on)" \
		"$(awk '{ t += $2; n += $3 } END { if (n) printf "%d ns", t / n }' "$out/program-cost.hackbench2")"
	row "tracer: all programs per event under sched pipe on one CPU ($pipe_events events, stats on)" \
		"$(awk '{ t += $2; n += $3 } END { if (n) printf "%d ns", t / n }' "$out/program-cost.pipe")"
	row "tracer: exec / exit / fork per event (100 execs, stats on)" \
		"$(awk '$3 > 0 { printf "%s%s %d ns", sep, $1, $2 / $3; sep = ", " }' "$out/program-cost.exec")"
	[ "$pipe_events" -gt 0 ] && [ -n "$2" ] && [ -n "$3" ] &&
		row "  stats off, estimated: extra CPU of sched pipe on one CPU / its $pipe_events events" \
			"$(awk -v on="$2" -v off="$3" -v n="$pipe_events" 'BEGIN { printf "%.0f ns", (on - off) * 1e6 / n }')"
}

# What the iterator runs while nobody reads it: its program's run count
# (bpf_stats) across the same loads. Zero runs is zero cost, which timing on
# a shared machine (noise of a few percent between identical runs) cannot
# show to 1%.
bench_iter_idle() {
	local pin=$1 id before after
	sysctl_set kernel.bpf_stats_enabled 1
	tracer_load "$pin" "" iter
	id=$("$bin_dir/lottery-tracer" status --pin-dir "$pin" --json |
		python3 -c 'import json, sys; print(json.load(sys.stdin)["links"][0]["prog_id"])') ||
		{ broken "iter idle" "no iterator program"; tracer_unload "$pin"; sysctl_restore_last; return; }
	before=$(prog_run_count "$id")
	timed pipe1 >/dev/null
	timed hackbench >/dev/null
	after=$(prog_run_count "$id")
	tracer_unload "$pin"
	sysctl_restore_last
	row "iter: program runs during sched pipe and hackbench, nobody reading (bpf_stats)" \
		"$((after - before))" "0" "$(verdict "$((after - before))" '<=' 0)"
}

prog_run_count() {
	bpftool -j prog show id "$1" | python3 -c 'import json, sys; print(json.load(sys.stdin).get("run_cnt", 0))'
}
