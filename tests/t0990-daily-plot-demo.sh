#!/bin/sh
# t0990-daily-plot-demo: scripts/nc-plot draws PNG charts from the real
# programs' records; scripts/demo-daily runs the whole pipeline on a week of
# the sample and reports it; the EXAMPLES of nc-daily(1) run.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/daily-lib.sh"

PLOT=$SRC_DIR/scripts/nc-plot
LC_ALL=C daily_slice 2025-02-17 2025-03-16 >slice.ndjson
nc-transform -k item_id,site_id --now $DAILY_NOW slice.ndjson >silver.ndjson
nc-forecast -k item_id,site_id --period week -H 5 --now $DAILY_NOW silver.ndjson >fc.ndjson
nc-reorder -k item_id,site_id --lead-time 7 fc.ndjson >reorder.ndjson

# is_png FILE: the PNG signature and a 1000 x 500 IHDR.
is_png() {
	test "$(od -An -tx1 -N8 "$1" | tr -d ' \n')" = 89504e470d0a1a0a || return 1
	test "$(od -An -tu1 -j16 -N8 "$1" | tr -s ' ' | sed 's/^ //; s/ $//')" = "0 0 3 232 0 0 1 244"
}

expect_success 'the charts have records to draw' 'test -s fc.ndjson && test -s reorder.ndjson'

expect_code 0 'nc-plot -h exits 0' '"$PLOT" -h >h.out'
expect_success 'nc-plot -h prints the usage on stdout' 'head -n 1 h.out | grep -q "^usage: nc-plot"'
expect_success 'nc-plot -V prints a version line' '"$PLOT" -V | grep -Eq "^nc-plot .*[0-9]+\.[0-9]+"'
for bad in '' 'pie' '--bogus' 'forecast' 'forecast -o x.png silver.ndjson' \
	'forecast -o x.png -w item_id silver.ndjson fc.ndjson' 'reorder fc.ndjson reorder.ndjson'; do
	expect_code 2 "usage error: nc-plot $bad" '"$PLOT" '"$bad"' 2>bad.err'
done
expect_success 'a usage error prints the usage on stderr' '
	"$PLOT" pie 2>bad.err >bad.out || :
	test ! -s bad.out && grep -q "^usage: nc-plot" bad.err
'

item=$(jq -r 'select(.horizon == 1) | .item_id' fc.ndjson | head -n 1)
site=$(jq -r 'select(.horizon == 1) | .site_id' fc.ndjson | head -n 1)

expect_success 'nc-plot forecast draws one series'"'"' history, forecast and band as a PNG' '
	"$PLOT" forecast -k item_id,site_id -w item_id=$item -w site_id=$site -o f.png \
		silver.ndjson fc.ndjson
	is_png f.png
'
expect_success 'without -w, the first series of the forecast file' '
	"$PLOT" forecast -k item_id,site_id -o first.png silver.ndjson fc.ndjson
	is_png first.png
'
expect_success 'nc-plot reorder draws the projected stock, reorder point and safety stock' '
	"$PLOT" reorder -k item_id,site_id -w item_id=$item -w site_id=$site -o r.png \
		fc.ndjson reorder.ndjson
	is_png r.png
'
expect_code 1 'a series that is not there fails' '
	"$PLOT" forecast -w item_id=no-such-item -o n.png silver.ndjson fc.ndjson 2>n.err
'
expect_success '... naming it, and writes no chart' '
	grep -q "no rows for no-such-item" n.err && test ! -e n.png
'
expect_code 1 'a file that cannot be read fails' '
	"$PLOT" reorder -o n.png no-such.ndjson reorder.ndjson 2>/dev/null
'
expect_code 1 'an output that cannot be written fails' '
	"$PLOT" forecast -o no-such-dir/f.png silver.ndjson fc.ndjson 2>/dev/null
'

# The EXAMPLES of nc-plot(1) run as written in t0905-man-examples.sh.

# The demo, on three months (the backtest needs more than 8 weeks).
DEMO_FROM=2024-12-16
DEMO_DAYS=91
expect_code 2 'scripts/demo-daily without BIN_DIR is a usage error' '
	"$SRC_DIR/scripts/demo-daily" 2>/dev/null
'
expect_success 'scripts/demo-daily runs the whole pipeline on three months of the sample' '
	NC_DEMO_DIR=$TRASH/demo NC_DEMO_FROM=$DEMO_FROM NC_DEMO_TO=2025-03-16 NC_DEMO_TOP=3 NC_DEMO_SIMULATE=0 \
		"$SRC_DIR/scripts/demo-daily" "$NC_BIN" >report.txt 2>demo.err ||
		{ cat demo.err report.txt; exit 1; }
'
expect_success 'the report: days, records, forecasts, backtest, reorder table, alerts' '
	grep -Eq "days, one at a time +$DEMO_DAYS$" report.txt
	n=$(daily_slice $DEMO_FROM 2025-03-16 | wc -l)
	grep -Eq "silver records +$n$" report.txt
	s=$(nc-store dump -d "$TRASH/demo/nc.db" forecasts | jq -r "select(.horizon == 1) |
		[.item_id, .site_id] | @json" | sort -u | wc -l)
	grep -Eq "series \(item x site\) +$s$" report.txt
	grep -q "^backtest" report.txt
	grep -Eq "total forecast / total actual +[0-9.]+ " report.txt
	grep -Eq "80% / 95% intervals hold the actual +[0-9]+% / [0-9]+% of weeks" report.txt
	grep -Eq "all origins +[0-9]+% of [0-9]+" report.txt
	sed -n "/^reorder/,/^\$/p" report.txt | grep -q "stockout"
	grep -q "^alerts (" report.txt
'
expect_success 'the charts the report lists exist and are PNGs' '
	sed -n "s/^  \(.*\.png\)\$/\1/p" report.txt >charts
	test "$(wc -l <charts)" = 2
	while read -r f; do is_png "$f" || { echo "$f"; exit 1; }; done <charts
'

# The EXAMPLES of nc-daily(1), as written, from a copy of the tree's
# layout (tests/man-lib.sh).
. "$TESTS_DIR/man-lib.sh"
man_scratch tree || exit 1
export NC_BIN
run_page_examples nc-daily.1
expect_success 'the examples made a store under build/demo-daily (weekly: as of the last whole week)' '
	test "$(nc-store dump -d build/demo-daily/nc.db forecasts | jq -r .as_of | sort -u | tr "\n" " ")" = \
		"2025-03-09 2025-03-16 "
'
cd "$TRASH" || exit 1

done_testing
