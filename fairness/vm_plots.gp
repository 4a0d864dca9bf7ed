# SPDX-License-Identifier: MIT
# The sched_ext VM's fairness plots, from fairness/run-vm.sh's output in
# `dir`: observed against allocated ratio for EEVDF, lottery and stride;
# lottery's 2:1 ratio per 8 s window; compensation; currencies.
# Called as: gnuplot -e "dir='...'; nices='0 3 5 ...'" vm_plots.gp
set terminal pngcairo size 900,600 font ",11" noenhanced
set datafile separator ","
set grid
set key left top
csv = dir.'/fairness.csv'
timeline(name) = dir.'/timeline/'.name.'.csv'

set output dir.'/ratios.png'
set title "Relative rate accuracy on the kernel scheduler (sched_ext, VM)"
set xlabel "allocated ratio (nice weights A:B)"
set ylabel "observed ratio (A:B CPU time)"
set xrange [0:*]
set yrange [0:*]
plot x title "allocated" with lines dashtype 2 lc rgb "gray", \
     for [p in "eevdf lottery stride"] csv using (strcol(1) eq 'ratio' && strcol(2) eq p ? $3 : NaN):5 \
         title p with points pointsize 1.5

set output dir.'/over-time.png'
set title "Lottery at 2:1 tickets: CPU ratio A:B in each 8 s window"
set xlabel "seconds"
set ylabel "A:B in the window"
set yrange [0:4]
a0 = 0; b0 = 0
plot timeline('overtime-lottery') every ::1 using ($1/1000):(r = ($2-a0)/($3-b0), a0 = $2, b0 = $3, r) \
         with linespoints title "lottery 2:1", 2 with lines dashtype 2 lc rgb "gray" title "allocated"

set output dir.'/compensation.png'
set title "Compensation tickets: the I/O-bound task's cumulative CPU share (equal tickets)"
set ylabel "io_task's share of the CPU time"
set yrange [0:0.6]
plot for [m in "with without"] timeline('compensation-'.m) every ::1 using ($1/1000):($3/($2+$3)) \
         with lines title m.' compensation', 0.5 with lines dashtype 2 lc rgb "gray" title "equal"

set output dir.'/currency.png'
set title "Currencies: group A's share per second while group B's load grows halfway"
set ylabel "share of the CPU in that second"
set yrange [0:1]
set key right top
p2 = 0; p3 = 0; p4 = 0; p5 = 0; p6 = 0
plot timeline('currency') every ::1 using ($1/1000):(da=$2-p2, db=$3-p3, dc=$4-p4, dd=$5-p5, de=$6-p6, \
         p2=$2, p3=$3, p4=$4, p5=$5, p6=$6, (da+db)/(da+db+dc+dd+de)) with lines title "group A", \
     0.5 with lines dashtype 2 lc rgb "gray" title "half"
