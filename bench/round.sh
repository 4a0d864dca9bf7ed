# SPDX-License-Identifier: MIT
# Part of bench/run.sh: a whole round of the agent on the bpf backend at
# growing numbers of tracked tasks, beside the Python prototype's round on the
# same records in a hash map as its tracer kept them, and what reading costs
# per record. The slots belong to a tracer of our own, filled with synthetic
# tasks. Then
# the same round on the iter backend, whose iterator walks as many sleeping
# threads and counts each one (round_bench --backend iter), and a /proc scan
# of those threads as ps does it.
#
# Verdicts use CPU time (kernel time included): on an idle machine a round's
# wall time is its CPU time, while on a loaded one the wall time also counts
# the waits for a CPU, which say nothing about lottery. Wall times are shown.

# `ratio_of A B`: A / B as "123x".
ratio_of() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0fx", a / b }'; }

bench_rounds() {
	local pin=/sys/fs/bpf/lottery_bench_$$ seed=/sys/fs/bpf/lottery_bench_seed_$$ size output ours base read cpu ratio target
	tracer_load "$pin" 65536
	bench_pins+=("$seed")
	for size in $round_sizes; do
		bench_log "round at $size tracked tasks: $round_reps rounds, then $baseline_reps of the baseline"
		rm -f "$seed"
		output=$("$bin_dir/round_bench" --pin-dir "$pin" --size "$size" --rounds "$round_reps" \
			--reads "$read_reps" --seed-map "$seed") || { broken "round, bpf, $size tasks" "round_bench failed"; continue; }
		ours=$(grep '^round ' <<<"$output")
		base=$(python3 "$here/baseline_round.py" --map "$seed" --rounds "$baseline_reps") ||
			{ broken "baseline round, $size tasks" "baseline_round.py failed"; continue; }
		cpu=$(field cpu_median_ns "$ours")
		ratio=$(ratio_of "$(field cpu_median_ns "$base")" "$cpu")
		target=
		[ "$size" = "$round_target_size" ] && target=yes
		row "round, bpf, $size tasks ($(field entries "$ours") entries): median CPU time" \
			"$(fmt_ns "$cpu") (wall $(fmt_ns "$(field median_ns "$ours")"), p99 $(fmt_ns "$(field p99_ns "$ours")"))" \
			"${target:+< 0.5 ms}" "${target:+$(verdict "$cpu" '<' 500000)}"
		row "  wall medians: snapshot / candidates / tickets+draw / output" \
			"$(fmt_ns "$(field snapshot_ns "$ours")") / $(fmt_ns "$(field candidates_ns "$ours")") / $(fmt_ns "$(field draw_ns "$ours")") / $(fmt_ns "$(field output_ns "$ours")")"
		row "  baseline (bpftool -j, Python): median CPU time" \
			"$(fmt_ns "$(field cpu_median_ns "$base")") (wall $(fmt_ns "$(field median_ns "$base")"))"
		row "  baseline / ours, CPU time" \
			"$ratio (wall $(ratio_of "$(field median_ns "$base")" "$(field median_ns "$ours")"))" \
			"${target:+>= 300x}" "${target:+$(verdict "${ratio%x}" '>=' 300)}"
		read=$(grep '^read ' <<<"$output") &&
			row "  read per record: tracer's slots (mmap) / seed's hash map, batched / key by key" \
				"$(field slots_ns_per_entry "$read") ns / $(fmt_ns "$(field batch_ns_per_entry "$read")") / $(fmt_ns "$(field key_by_key_ns_per_entry "$read")")"
		bench_iter_round "$size" "$(field cpu_median_ns "$base")" "$target"
	done
	tracer_unload "$pin"
	rm -f "$seed"
}

# `bench_iter_round SIZE BASELINE_CPU_NS [TARGET]`: the iter backend's round
# over SIZE sleeping threads, each one a record, against the same baseline.
bench_iter_round() {
	local size=$1 base_cpu=$2 target=$3 pin=/sys/fs/bpf/lottery_bench_iter_$$ output round raw program scan cpu ratio
	bench_log "round at $size tasks, iter: $round_reps rounds over $size sleeping threads"
	bench_pins+=("$pin")
	output=$("$bin_dir/round_bench" --backend iter --pin-dir "$pin" --size "$size" \
		--rounds "$round_reps" --reads "$read_reps") || { broken "round, iter, $size tasks" "round_bench failed"; return; }
	round=$(grep '^round ' <<<"$output") raw=$(grep '^read ' <<<"$output" | tail -1)
	program=$(grep '^program ' <<<"$output") scan=$(grep '^procscan ' <<<"$output")
	cpu=$(field cpu_median_ns "$round")
	ratio=$(ratio_of "$base_cpu" "$cpu")
	row "round, iter, $size tasks ($(field entries "$round") records): median CPU time" \
		"$(fmt_ns "$cpu") (wall $(fmt_ns "$(field median_ns "$round")"), p99 $(fmt_ns "$(field p99_ns "$round")"))" \
		"${target:+< 0.5 ms}" "${target:+$(verdict "$cpu" '<' 500000)}"
	row "  baseline / iter, CPU time" "$ratio" "${target:+>= 300x}" "${target:+$(verdict "${ratio%x}" '>=' 300)}"
	row "  iter: kernel's part (unparsed reads) / program per task (stats on)" \
		"$(fmt_ns "$(field cpu_median_ns "$raw")") / $(fmt_ns "$(field ns_per_run "$program")")"
	row "  /proc scan as ps does it, $(field tasks "$scan") threads: CPU time" "$(fmt_ns "$(field cpu_median_ns "$scan")")"
}
