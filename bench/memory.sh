# SPDX-License-Identifier: MIT
# Part of bench/run.sh: the agent's peak RSS while it reads 10 000 tracked
# tasks every round, and the kernel memory the tracer's maps hold at the
# default capacity (preallocated: the same whether they are full or empty).

bench_memory() {
	local pin=/sys/fs/bpf/lottery_mem_$$ kib map bytes total=0 parts=()
	tracer_load "$pin"
	"$bin_dir/round_bench" --pin-dir "$pin" --size 10000 --rounds 1 --keep >/dev/null ||
		{ broken "agent peak RSS" "could not fill the map"; tracer_unload "$pin"; return; }
	bench_log "memory: lottery --rounds 20 10 over 10 000 tracked tasks"
	if /usr/bin/time -f %M -o "$out/lottery-rss.txt" "$bin_dir/lottery" --backend bpf \
		--pin-dir "$pin" --rounds 20 10 >/dev/null; then
		kib=$(tail -n 1 "$out/lottery-rss.txt")
		row "agent peak RSS (lottery --rounds 20 10, 10 000 tasks)" \
			"$(awk -v k="$kib" 'BEGIN { printf "%.1f MiB", k / 1024 }')" "< 20 MiB" \
			"$(verdict "$kib" '<' $((20 * 1024)))"
	else
		broken "agent peak RSS" "lottery failed"
	fi
	for map in runnable usage misses info; do
		bytes=$(bpftool -j map show pinned "$pin/$map" |
			python3 -c 'import json, sys; print(json.load(sys.stdin).get("bytes_memlock", 0))') ||
			{ broken "kernel memory of $map" "bpftool failed"; continue; }
		total=$((total + bytes))
		parts+=("$map $(awk -v b="$bytes" 'BEGIN { printf "%.1f KiB", b / 1024 }')")
	done
	local capacity
	capacity=$("$bin_dir/lottery-tracer" status --pin-dir "$pin" --json |
		python3 -c 'import json, sys; print(json.load(sys.stdin).get("capacity", "?"))')
	local joined
	joined=$(printf '%s, ' "${parts[@]}")
	row "kernel memory of the maps (capacity $capacity)" \
		"$(awk -v b="$total" 'BEGIN { printf "%.1f MiB", b / 1048576 }') (${joined%, })"
	tracer_unload "$pin"
}
