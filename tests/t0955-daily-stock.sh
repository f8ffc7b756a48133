#!/bin/sh
# t0955-daily-stock: nc-daily with stock held per item (STOCK_KEYS=item_id)
# and forecasts per item and site: the reorder stage reads forecasts made
# per item (STOCK_FORECAST=on, the default), or the sites' added up (off).
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/daily-lib.sh"

DAY=2025-03-06
LC_ALL=C daily_slice 2025-02-17 2025-03-16 >slice.ndjson
FEATURES=on
test -x "$NC_BIN/nc-features" || FEATURES=off

expect_code 2 'STOCK_FORECAST other than on or off is a usage error' '
	daily_config bad.conf "$TRASH/bad" STOCK_KEYS=item_id STOCK_FORECAST=yes
	"$DAILY" --config bad.conf --date $DAY 2>bad.err
'
expect_success 'the usage error names the setting' 'grep -q "STOCK_FORECAST" bad.err'

daily_config on.conf "$TRASH/on" FEATURES=$FEATURES STOCK_KEYS=item_id
expect_success "a day with STOCK_KEYS=item_id runs through every stage" '
	"$DAILY" --config on.conf --date $DAY >run.out 2>run.err || { cat run.err; exit 1; }
'
RUN=$(the_run "$TRASH/on" 2>/dev/null || :)
nc-store dump -d "$TRASH/on/nc.db" -p $DAY forecasts >fc
items=$(jq -r .item_id fc | sort -u | wc -l)
series=$(jq -r "[.item_id, .site_id] | @json" fc | sort -u | wc -l)

expect_success "the forecasts dataset stays per item and site ($series series of $items items)" '
	test "$items" -gt 10 && test "$items" -lt "$series" &&
	test "$(wc -l <fc)" = $((series * 7))
'

expect_success "stock-forecast.ndjson: the same day forecast per item ($items items x 7 days)" '
	sf=$RUN/$DAY/stock-forecast.ndjson &&
	test "$(wc -l <"$sf")" = $((items * 7)) &&
	test "$(jq -r .as_of "$sf" | sort -u)" = $DAY &&
	test "$(jq -r .item_id "$sf" | sort -u)" = "$(jq -r .item_id fc | sort -u)" &&
	# One series an item: its id is item|as_of|horizon.
	jq -se "all(.forecast_id | split(\"|\") | length == 3)" "$sf"
'

expect_success 'the reorder records are nc-reorder'"'"'s over the item forecasts' '
	nc-store dump -d "$TRASH/on/nc.db" --until $DAY silver >hist &&
	nc-reorder -k item_id --service-level 0.95 --lead-time 7 --history hist \
		"$RUN/$DAY/stock-forecast.ndjson" >want &&
	nc-store dump -d "$TRASH/on/nc.db" -p $DAY reorder >got &&
	test "$(wc -l <got)" = "$items" &&
	cmp_files want got
'

expect_success 'the item totals: the item forecast against the sum of the sites'"'"'' '
	# Both are forecasts of the same demand: their 7-day totals are the
	# same order of magnitude (each within a factor of 3 of the other).
	a=$(jq -s "map(.forecasted_demand) | add" "$RUN/$DAY/stock-forecast.ndjson") &&
	b=$(jq -s "map(.forecasted_demand) | add" fc) &&
	jq -en --argjson a "$a" --argjson b "$b" "\$a > 0 and \$b > 0 and \$a < 3 * \$b and \$b < 3 * \$a"
'

daily_config off.conf "$TRASH/off" FEATURES=$FEATURES STOCK_KEYS=item_id STOCK_FORECAST=off
expect_success 'STOCK_FORECAST=off: no second pass; nc-reorder adds the sites up' '
	"$DAILY" --config off.conf --date $DAY >off.out 2>off.err || { cat off.err; exit 1; }
	run=$(the_run "$TRASH/off") &&
	test ! -e "$run/$DAY/stock-forecast.ndjson" &&
	nc-store dump -d "$TRASH/off/nc.db" --until $DAY silver >hist2 &&
	nc-reorder -k item_id --service-level 0.95 --lead-time 7 --history hist2 \
		"$run/$DAY/forecast.ndjson" >want2 &&
	nc-store dump -d "$TRASH/off/nc.db" -p $DAY reorder >got2 &&
	cmp_files want2 got2
'

done_testing
