# SPDX-License-Identifier: MIT
# Part of bench/run.sh: the draw and the ticket-table build, from the Google
# Benchmark program draw_bench (bench/draw_bench.cpp). CPU time, which other
# work on a shared machine disturbs less than wall time.

bench_draw() {
	[ -x "$bin_dir/draw_bench" ] || { broken "draw" "$bin_dir/draw_bench is not built"; return; }
	bench_log "draw and table build: draw_bench, min time $draw_min_time s per benchmark"
	"$bin_dir/draw_bench" --benchmark_filter='^(Lottery|Stride)(Draw|Build)/' \
		--benchmark_min_time="$draw_min_time" --benchmark_format=json \
		>"$out/draw_bench.json" 2>/dev/null || { broken "draw" "draw_bench failed"; return; }
	# name size ns (per draw, or per candidate for a build)
	python3 - "$out/draw_bench.json" >"$out/draw.txt" <<'EOF' || { broken "draw" "unreadable draw_bench output"; return; }
import json, sys
scale = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}
for b in json.load(open(sys.argv[1]))["benchmarks"]:
    name, size = b["name"].split("/")[:2]
    ns = b["cpu_time"] * scale[b["time_unit"]]
    print(name, size, ns / int(size) if name.endswith("Build") else ns)
EOF
	local policy ns builds low high growth
	for policy in Lottery Stride; do
		ns=$(awk -v n="${policy}Draw" '$1 == n && $2 == 1000000 { print $3 }' "$out/draw.txt")
		[ -n "$ns" ] || { broken "draw, $policy" "no result at 1 000 000"; continue; }
		row "draw, ${policy,,}, 1 000 000 candidates (CPU time)" "$(fmt_ns "$ns")" "< 150 ns" \
			"$(verdict "$ns" '<' 150)"
		builds=$(awk -v n="${policy}Build" '$1 == n { printf "%s%.1f", sep, $3; sep = " / " }' "$out/draw.txt")
		# Linear: past the caches (10^5 and 10^6 both are) the cost per
		# candidate stays flat; n log n would grow by 1.2x, a cache-bound
		# or quadratic build by far more.
		low=$(awk -v n="${policy}Build" '$1 == n && $2 == 100000 { print $3 }' "$out/draw.txt")
		high=$(awk -v n="${policy}Build" '$1 == n && $2 == 1000000 { print $3 }' "$out/draw.txt")
		row "table build, ${policy,,}: ns per candidate at 10 / 10^3 / 10^5 / 10^6" "$builds"
		[ -n "$low" ] && [ -n "$high" ] || continue
		growth=$(awk -v l="$low" -v h="$high" 'BEGIN { printf "%.2f", h / l }')
		row "  build linear: per-candidate cost 10^6 / 10^5" "${growth}x" "< 1.5x" \
			"$(verdict "$growth" '<' 1.5)"
	done
}
