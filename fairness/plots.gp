# SPDX-License-Identifier: MIT
# The fairness plots, from fairness/run.sh's output in `dir`:
# observed against allocated ratio, and cumulative shares over time.
# Called as: gnuplot -e "dir='...'; ratios='1 2 ...'; policies='lottery stride'" plots.gp
set terminal pngcairo size 900,600 font ",11" noenhanced
set datafile separator ","
set grid
set key left top

csv = dir.'/fairness.csv'
timeline(name) = dir.'/timeline/'.name.'.csv'

set output dir.'/ratios.png'
set title "Relative rate accuracy: observed against allocated CPU ratio"
set xlabel "allocated ratio (A:B tickets)"
set ylabel "observed ratio (A:B CPU time)"
set xrange [0:*]
set autoscale xfixmax
set yrange [0:*]
plot x title "allocated" with lines dashtype 2 lc rgb "gray", \
     for [p in policies] csv using (strcol(1) eq 'ratio' && strcol(2) eq p ? $3 : NaN):5 \
         title p with points pointsize 1.5

set output dir.'/over-time.png'
set multiplot layout 1, words(policies) title "Cumulative CPU share of task A over time"
set xlabel "seconds"
set ylabel "A's share of the CPU time"
set yrange [0:1]
set xrange [0:*]
set autoscale xfixmax
set key right bottom
do for [p in policies] {
	set title p
	plot for [r in ratios] timeline('ratio-'.p.'-'.r.'-1') every ::1 \
	         using ($1/1000):($2/($2+$3)) with lines title r.':1', \
	     for [r in ratios] (r/(r+1.0)) with lines dashtype 2 lc rgb "gray" notitle
}
unset multiplot

set output dir.'/currency.png'
set title "Currencies (--per-user): user A's cumulative share, 1 task against N of user B"
set yrange [0:1]
set key right top
plot for [n in "2 4"] timeline('currency-'.n) every ::1 using ($1/1000):($2/($2+$3)) \
         with lines title 'user B with '.n.' tasks', \
     0.5 with lines dashtype 2 lc rgb "gray" title "half"

set output dir.'/compensation.png'
set title "Compensation tickets: the I/O-bound task's cumulative CPU share (equal tickets)"
set ylabel "io_task's share of the CPU time"
set yrange [0:0.6]
plot for [m in "with without"] timeline('compensation-'.m) every ::1 using ($1/1000):($3/($2+$3)) \
         with lines title m.' compensation'
