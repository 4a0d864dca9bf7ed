# SPDX-License-Identifier: MIT
# Part of bench/run.sh: a whole round of the agent on the bpf backend at
# growing numbers of tracked tasks, beside the Python prototype's round on the
# same map, and what reading the map costs per entry, batched and key by key.
# The map belongs to a tracer of our own, filled with synthetic tasks.

bench_rounds() {
	local pin=/sys/fs/bpf/lottery_bench_$$ size line ours base ratio median
	tracer_load "$pin" 65536
	for size in $round_sizes; do
		bench_log "round at $size tracked tasks: $round_reps rounds, then $baseline_reps of the baseline"
		line=$("$bin_dir/round_bench" --pin-dir "$pin" --size "$size" --rounds "$round_reps" \
			--reads "$read_reps" --keep) || { broken "round, bpf, $size tasks" "round_bench failed"; continue; }
		ours=$(grep '^round ' <<<"$line")
		base=$(python3 "$here/baseline_round.py" --pin-dir "$pin" --rounds "$baseline_reps") ||
			{ broken "baseline round, $size tasks" "baseline_round.py failed"; continue; }
		median=$(field median_ns "$ours")
		local label="$size tasks ($(field entries "$ours") entries)"
		if [ "$size" = "$round_target_size" ]; then
			row "round, bpf, $label: median" "$(fmt_ns "$median")" "< 2 ms" \
				"$(verdict "$median" '<' 2000000)"
		else
			row "round, bpf, $label: median" "$(fmt_ns "$median")"
		fi
		row "  p99; snapshot / candidates / draw / output (medians)" \
			"$(fmt_ns "$(field p99_ns "$ours")"); $(fmt_ns "$(field snapshot_ns "$ours")") / $(fmt_ns "$(field candidates_ns "$ours")") / $(fmt_ns "$(field draw_ns "$ours")") / $(fmt_ns "$(field output_ns "$ours")")"
		row "  baseline (bpftool -j + Python): median" "$(fmt_ns "$(field median_ns "$base")")"
		ratio=$(awk -v b="$(field median_ns "$base")" -v o="$median" 'BEGIN { printf "%.0f", b / o }')
		if [ "$size" = "$round_target_size" ]; then
			row "  baseline / ours" "${ratio}x" ">= 100x" "$(verdict "$ratio" '>=' 100)"
		else
			row "  baseline / ours" "${ratio}x"
		fi
		line=$(grep '^read ' <<<"$line") || continue
		row "  map read per entry: batched / key by key" \
			"$(fmt_ns "$(field batch_ns_per_entry "$line")") / $(fmt_ns "$(field key_by_key_ns_per_entry "$line")")"
	done
	tracer_unload "$pin"
}
