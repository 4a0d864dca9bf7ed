# SPDX-License-Identifier: MIT
# Part of bench/run.sh: the chardev backend's round against the bpf backend's,
# in the test VM (tests/vm/run.sh boots Debian's stock kernel under qemu with
# lottery.ko). Emulation makes absolute times meaningless, so only the ratio
# chardev / bpf in the same VM is reported.

bench_vm() {
	local vm_out=$out/vm log runnable bpf chardev
	[ -x "$repo/tests/vm/run.sh" ] || { broken "vm round" "tests/vm/run.sh is missing"; return; }
	bench_log "chardev vs bpf in the VM: busy tasks $vm_busy, $vm_rounds rounds a pass (log in $out/vm.log)"
	if ! "$repo/tests/vm/run.sh" --bin-dir "$bin_dir" --out "$vm_out" --cases "$here/vm" \
		--add "$bin_dir/round_bench=/usr/bin/round_bench" \
		--env "BENCH_ROUNDS=$vm_rounds" --env "BENCH_BUSY=$vm_busy" --env "BENCH_SLEEPERS=$vm_sleepers" \
		--env "VMTEST_CASE_TIMEOUT=$vm_timeout" --timeout $((vm_timeout + 120)) >"$out/vm.log" 2>&1; then
		broken "vm round, chardev / bpf" "the VM run failed: $(tail -n 1 "$out/vm.log")"
		return
	fi
	log=$vm_out/console.log
	local kernel config
	kernel=$(grep -o 'VMTEST BEGIN kernel [^,]*' "$log" | awk '{ print $4 }')
	for config in $(grep -o 'busy=[0-9]* sleepers=[0-9]*' "$log" | tr ' ' : | awk '!seen[$0]++'); do
		config=${config/:/ }
		# the median of the passes' medians, per backend
		bpf=$(median $(grep -o "$config pass=[0-9]* round backend=bpf .*" "$log" |
			sed 's/.* median_ns=\([0-9]*\).*/\1/')) &&
		chardev=$(median $(grep -o "$config pass=[0-9]* round backend=chardev .*" "$log" |
			sed 's/.* median_ns=\([0-9]*\).*/\1/')) ||
			{ broken "vm round, $config" "no timings in $log"; continue; }
		runnable=$(grep -o "$config pass=1 round backend=chardev .*" "$log" | sed 's/.* entries=\([0-9]*\).*/\1/')
		row "VM ($kernel, TCG): round chardev / bpf, $runnable runnable, ${config##*=} sleeping" \
			"$(fmt_ns "$chardev") / $(fmt_ns "$bpf") = $(awk -v c="$chardev" -v b="$bpf" 'BEGIN { printf "%.2fx", c / b }')"
	done
}
