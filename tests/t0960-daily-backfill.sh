#!/bin/sh
# t0960-daily-backfill: scripts/nc-daily --from --to loads a week of the
# bundled sample day by day and refits every day; a rerun gives the same
# store contents; --gold last fits only the last day.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/daily-lib.sh"

FROM=2025-03-10
TO=2025-03-16
DAYS='2025-03-10 2025-03-11 2025-03-12 2025-03-13 2025-03-14 2025-03-15 2025-03-16'
LC_ALL=C daily_slice 2025-02-17 2025-03-16 >slice.ndjson
FEATURES=on
test -x "$NC_BIN/nc-features" || FEATURES=off
daily_config week.conf "$TRASH/w" FEATURES=$FEATURES
DB=$TRASH/w/nc.db

expect_success "a backfill of $FROM .. $TO succeeds" '
	"$DAILY" --config week.conf --from $FROM --to $TO 2>run.err || { cat run.err; exit 1; }
'
RUN=$(the_run "$TRASH/w" 2>/dev/null || :)

expect_success 'the days ran in order, each through every stage' '
	awk -F "\t" "NR > 1 && \$2 == \"commit\" { print \$1 }" "$RUN/timings.tsv" >order
	echo $DAYS | tr " " "\n" >want
	cmp_files want order
	for d in $DAYS; do
		for st in bronze silver gate features forecast reorder alert; do
			test "$(timings_of "$RUN" $d $st)" = "1 0" || { echo "$d $st"; exit 1; }
		done
	done
'

expect_success 'silver holds the week'"'"'s records, as nc-transform makes them' '
	jq -c "select(.date >= \"$FROM\" and .date <= \"$TO\")" slice.ndjson |
		nc-transform -k item_id,site_id --now $DAILY_NOW | sort >want
	nc-store dump -d "$DB" silver | sort >got
	cmp_files want got
'

expect_success 'bronze and silver have one partition per day with records; weekend days are empty' '
	nc-store ls -d "$DB" silver | jq -r "select(.kind == \"partition\") | .partition" >parts
	jq -r "select(.date >= \"$FROM\" and .date <= \"$TO\") | .date" slice.ndjson | sort -u >want
	cmp_files want parts
	test "$(nc-store ls -d "$DB" bronze_erp | jq -c "select(.kind == \"load\")" | wc -l)" = 7
'

expect_success 'each day has forecasts as of that day, from the history up to it' '
	for d in $DAYS; do
		nc-store dump -d "$DB" -p $d forecasts >fc
		test -s fc || { echo "no forecasts for $d"; exit 1; }
		test "$(jq -r .as_of fc | sort -u)" = $d || { echo "as_of of $d"; exit 1; }
		n=$(nc-store dump -d "$DB" --until $d silver | jq -r "[.item_id, .site_id] | @json" |
			sort -u | wc -l)
		test "$(jq -r "[.item_id, .site_id] | @json" fc | sort -u | wc -l)" = "$n" ||
			{ echo "series of $d"; exit 1; }
		test "$(nc-store dump -d "$DB" -p $d reorder | wc -l)" = "$n" ||
			{ echo "reorder of $d"; exit 1; }
	done
'

nc-store ls -d "$DB" | jq -r .dataset | sort >datasets.before
store_snapshot "$DB" >snap1
cp "$TRASH/w/state/alert.state" alert.state1

expect_success 'a rerun of the week succeeds' '
	"$DAILY" --config week.conf --from $FROM --to $TO 2>rerun.err || { cat rerun.err; exit 1; }
'

expect_success 'the rerun gives the same store contents, dataset by dataset' '
	store_snapshot "$DB" >snap2
	test "$(grep -c "^== " snap2)" -ge 9
	cmp_files snap1 snap2
'

expect_success 'the rerun replayed each day from the state before it: the same alert state' '
	cmp_files alert.state1 "$TRASH/w/state/alert.state"
	ls "$TRASH/w/state/days" >got
	echo $DAYS | tr " " "\n" >want
	cmp_files want got
'

expect_success 'the rerun recorded its loads in nc_loads' '
	test "$(nc-store ls -d "$DB" bronze_erp | jq -c "select(.kind == \"load\")" | wc -l)" = 14
'

expect_success 'a rerun at another time has no duplicate: the same rows, new load times' '
	sed "s/^NOW=.*/NOW=2025-11-01T06:00:00Z/" week.conf >later.conf
	"$DAILY" --config later.conf --from $FROM --to $TO
	for ds in $(cat datasets.before); do
		n1=$(awk -v d="== $ds" "\$0 == d { on = 1; next } /^== / { on = 0 } on" snap1 | wc -l)
		n2=$(nc-store dump -d "$DB" $ds | wc -l)
		test "$n1" = "$n2" || { echo "$ds: $n1 then $n2"; exit 1; }
	done
	test "$(nc-store dump -d "$DB" silver | jq -r .loaded_at | sort -u)" = 2025-11-01T06:00:00Z
'

daily_config last.conf "$TRASH/l" FEATURES=$FEATURES
expect_success '--gold last fits only the last day of the range' '
	"$DAILY" --config last.conf --gold last --from 2025-03-12 --to 2025-03-14
	nc-store ls -d "$TRASH/l/nc.db" forecasts |
		jq -r "select(.kind == \"partition\") | .partition" >parts
	echo 2025-03-14 >want
	cmp_files want parts
	test "$(nc-store ls -d "$TRASH/l/nc.db" silver | jq -c "select(.kind == \"partition\")" |
		wc -l)" = 3
'

expect_success '--gold none loads bronze and silver only' '
	daily_config none.conf "$TRASH/n" GOLD=none
	"$DAILY" --config none.conf --from 2025-03-12 --to 2025-03-13
	nc-store ls -d "$TRASH/n/nc.db" | jq -r .dataset | sort >got
	printf "%s\n" bronze_economic bronze_erp bronze_weather economic silver weather >want
	cmp_files want got
'

done_testing
