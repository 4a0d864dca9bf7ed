# `make fairness-vm`, inside the sched_ext VM (fairness/run-vm.sh boots
# it): the paper's experiments on the kernel scheduler. Every result line is
# `FAIRNESS FILE LINE`, which the host script gathers into FILE.
# Settings (kernel command line): FAIRNESS_SECONDS per run, FAIRNESS_NICES
# (comma-separated nice values of task B; A is at nice 0), FAIRNESS_OVERTIME
# seconds of the 2:1 run measured in 8 s windows.
. /vmtest/lib.sh
. /vmtest/scx.sh
need_lottery_scx
seconds=${FAIRNESS_SECONDS:-30}
nices=$(echo "${FAIRNESS_NICES:-0,3,5,7,10,13}" | tr , ' ')
overtime=${FAIRNESS_OVERTIME:-120}
slice=${FAIRNESS_SLICE_MS:-10}
emit() { echo "FAIRNESS $1 $2"; }
# (the run column holds B's nice value)
emit fairness.csv "experiment,policy,allocated,run,observed,rounds,a_wins,b_wins,expected_a_wins,seconds"

# timeline LABEL SECONDS STEP A B: cumulative CPU ns of A and B every STEP s.
timeline() {
	local label=$1 s=$2 step=$3 a=$4 b=$5 t=0 a0 b0
	a0=$(cpu_ns $a) b0=$(cpu_ns $b)
	emit timeline/$label.csv "t,a_ns,b_ns"
	while [ $t -lt $s ]; do
		sleep $step
		t=$((t + step))
		emit timeline/$label.csv "$((t * 1000)),$(($(cpu_ns $a) - a0)),$(($(cpu_ns $b) - b0))"
		observed_a=$(($(cpu_ns $a) - a0)) observed_b=$(($(cpu_ns $b) - b0))
	done
}

# Relative rate accuracy: A at nice 0 against B at nice k on CPU 1, under
# EEVDF, lottery and stride; lottery and stride hold the default tickets,
# the nice weights, so all three are asked for the same ratio.
pairs=
for k in $nices; do
	spawn_at_nice 19 3600 1
	a=$spawned_pid
	spawn_at_nice 19 3600 1
	pairs="$pairs $k:$a:$spawned_pid"
done
spawn_at_nice 19 3600 1
two_a=$spawned_pid
spawn_at_nice 19 3600 1
two_b=$spawned_pid
managed=
for p in $pairs; do
	managed="$managed --pid $(echo $p | cut -d: -f2) --pid $(echo $p | cut -d: -f3)"
done
kill -STOP $two_a $two_b
for p in $pairs; do kill -STOP $(echo $p | cut -d: -f2,3 | tr : ' '); done

all=$(echo $pairs | tr ': ' '\n\n' | awk 'NR % 3 != 1')
emit response.csv "policy,allocated,client,tickets,gaps,mean_us,sd_us,max_us"

# Response time (the stride report's 19:1 and 7:3 figures): two gap_tasks on
# CPU 1 at those tickets, each measuring the time it waits between quanta.
# They sleep until their start file appears, so the load can manage them.
spawn_gap_pairs() {
	gap_pairs=
	for t in 19:1 7:3; do
		taskset -c 1 /vmtest/gap_task /tmp/go-$1-${t%:*} $seconds >/tmp/gap-$1-${t%:*}-a &
		ga=$!
		taskset -c 1 /vmtest/gap_task /tmp/go-$1-${t%:*} $seconds >/tmp/gap-$1-${t%:*}-b &
		gap_pairs="$gap_pairs $t:$ga:$!"
		echo "$ga $((${t%:*} * 100))
$! $((${t#*:} * 100))" >>/tmp/tickets
	done
}
measure_gaps() {
	local p t ga gb
	for p in $gap_pairs; do
		t=$(echo $p | cut -d: -f1,2) ga=$(echo $p | cut -d: -f3) gb=$(echo $p | cut -d: -f4)
		touch /tmp/go-$1-${t%:*}
		wait $ga $gb
		set -- $1 $(cat /tmp/gap-$1-${t%:*}-a) $(cat /tmp/gap-$1-${t%:*}-b)
		echo "$1 response time at $t: A $2 $3 $4 $5 $6 $7 $8 $9; B ${11} ${13} ${15} ${17}"
		emit response.csv "$1,$t,A,${t%:*},$3,$5,$7,$9"
		emit response.csv "$1,$t,B,${t#*:},${11},${13},${15},${17}"
	done
}

for policy in eevdf lottery stride; do
	if [ $policy != eevdf ]; then
		# lottery takes on no stopped task: they wait at nice 19 instead.
		kill -CONT $two_a $two_b $all
		echo "$two_a 2048
$two_b 1024" >/tmp/tickets
		spawn_gap_pairs $policy
		gap_pids=$(echo $gap_pairs | tr ': ' '\n\n' | awk 'NR % 4 >= 3 || NR % 4 == 0' | sed 's/^/--pid /')
		start_lottery /tmp/$policy.out --enforce --mechanism kernel --policy $policy \
			--slice $slice --json --tickets-file /tmp/tickets $managed --pid $two_a --pid $two_b \
			$gap_pids 1000
		kill -STOP $two_a $two_b $all
	fi
	for p in $pairs; do
		k=${p%%:*} a=$(echo $p | cut -d: -f2) b=$(echo $p | cut -d: -f3)
		kill -CONT $a $b
		renice 0 -p $a >/dev/null
		renice $k -p $b >/dev/null
		sleep 0.5
		timeline ratio-$policy-$k $seconds 1 $a $b
		kill -STOP $a $b
		renice 19 -p $a $b >/dev/null
		allocated=$(awk -v k=$k 'BEGIN { split("1024 820 655 526 423 335 272 215 172 137 110 87 70 56 45 36 29 23 18 15", w, " "); printf "%.3f", 1024 / w[k + 1] }')
		echo "$policy nice 0:$k (allocated $allocated:1): observed $observed_a:$observed_b"
		row="ratio,$policy,$allocated,$k,$(awk -v a=$observed_a -v b=$observed_b 'BEGIN { printf "%.3f", a / b }')"
		if [ $policy = eevdf ]; then
			emit fairness.csv "$row,0,0,0,0,$seconds"
		else
			emit fairness.csv "$row,0,$a,$b,0,$seconds" # the pids: vm_report.py puts wins there
		fi
	done
	if [ $policy = lottery ]; then
		# Fairness over time: 2:1 tickets, CPU time per 8 s window.
		kill -CONT $two_a $two_b
		sleep 0.5
		timeline overtime-lottery $overtime 8 $two_a $two_b
		kill -STOP $two_a $two_b
	fi
	if [ $policy != eevdf ]; then
		measure_gaps $policy
		stop_lottery
		grep '^{"summary"' /tmp/$policy.out | sed "s/^/FAIRNESS summary-$policy.json /"
	fi
done
kill -CONT $two_a $two_b
stop_spawned

# Compensation tickets: an I/O-bound task that uses a fifth of its slice
# (2 ms of CPU, then 2 ms asleep, at 10 ms slices) against a CPU-bound one at
# equal tickets, with and without compensation.
for mode in with without; do
	spawn_at_nice 19 3600 1
	a=$spawned_pid
	taskset -c 1 /vmtest/io_task $((slice / 5)) $((slice / 5)) &
	b=$!
	spawned="$spawned $b"
	flag=
	[ $mode = without ] && flag=--no-compensation
	start_lottery /tmp/comp.out --enforce --mechanism kernel --slice $slice --json $flag \
		--pid $a --pid $b --tickets $a=1024 --tickets $b=1024 1000
	timeline compensation-$mode $seconds 1 $a $b
	stop_lottery
	echo "compensation $mode: cpu_task:io_task $observed_a:$observed_b"
	emit fairness.csv "compensation,$mode,1,1,$(awk -v a=$observed_a -v b=$observed_b 'BEGIN { printf "%.3f", a / b }'),0,0,0,0,$seconds"
	stop_spawned
done

# Currencies insulating loads (the paper's figure 9): groups A and B hold
# equal shares; A runs two tasks at 100:200 tickets, B runs two at 100:200
# and a third (300) that sleeps for the first half, then computes. A's total
# should stay one half throughout: B's new task dilutes B's tickets only.
spawn_at_nice 19 3600 1; a1=$spawned_pid
spawn_at_nice 19 3600 1; a2=$spawned_pid
spawn_at_nice 19 3600 1; b1=$spawned_pid
spawn_at_nice 19 3600 1; b2=$spawned_pid
# The same pid before and after the exec: lottery manages it from the start.
taskset -c 1 sh -c "sleep $((seconds + 10)); exec cpu_task 3600" &
b3=$!
spawned="$spawned $b3"
start_lottery /tmp/cur.out --enforce --mechanism kernel --slice $slice --json \
	--group "A:1=$a1,$a2" --group "B:1=$b1,$b2,$b3" \
	--tickets $a1=100 --tickets $a2=200 --tickets $b1=100 --tickets $b2=200 --tickets $b3=300 1000
renice 0 -p $a1 $a2 $b1 $b2 >/dev/null
emit timeline/currency.csv "t,a1_ns,a2_ns,b1_ns,b2_ns,b3_ns"
t=0
cat /proc/$a1/schedstat /proc/$a2/schedstat /proc/$b1/schedstat /proc/$b2/schedstat \
	/proc/$b3/schedstat | cut -d' ' -f1 >/tmp/cur.0
while [ $t -lt $((2 * seconds)) ]; do
	sleep 1
	t=$((t + 1))
	cat /proc/$a1/schedstat /proc/$a2/schedstat /proc/$b1/schedstat /proc/$b2/schedstat \
		/proc/$b3/schedstat | cut -d' ' -f1 | paste /tmp/cur.0 - |
		awk '{ printf "%s%.0f", (NR > 1 ? "," : ""), $2 - $1 }' >/tmp/cur.row
	emit timeline/currency.csv "$((t * 1000)),$(cat /tmp/cur.row)"
done
stop_lottery
echo "currencies: done"
