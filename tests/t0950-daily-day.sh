#!/bin/sh
# t0950-daily-day: scripts/nc-daily runs one day of the bundled sample end to
# end with the real programs: bronze, silver, gate, features, forecast,
# reorder, alert; its options, logs and timings; a missing program.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/daily-lib.sh"

DAY=2025-03-14
LC_ALL=C daily_slice 2025-02-17 2025-03-16 >slice.ndjson
FEATURES=on
test -x "$NC_BIN/nc-features" || FEATURES=off

expect_success 'the slice has records on the test day' '
	test "$(day_records slice.ndjson $DAY | wc -l)" -gt 10
'

expect_code 0 'nc-daily -h exits 0' '"$DAILY" -h >h.out'
expect_success 'nc-daily -h prints the usage on stdout' '
	"$DAILY" -h | head -n 1 | grep -q "^usage: nc-daily"
'
expect_success 'nc-daily -V prints a version line' '
	"$DAILY" -V >v.out
	test "$(wc -l <v.out)" = 1 && grep -Eq "^nc-daily .*[0-9]+\.[0-9]+" v.out
'
for bad in '--no-such-flag' '--date 2025-02-30' '--date yesterday' '--from 2025-03-01' \
	'--from 2025-03-02 --to 2025-03-01' '--date 2025-03-01 --to 2025-03-02' \
	'--retries x' '--gold sometimes' '--config ./no-such.conf' 'extra-arg'; do
	expect_code 2 "usage error: $bad" '
		NC_DAILY_DIR=$TRASH/bad "$DAILY" '"$bad"' >bad.out 2>bad.err
	'
done
expect_success 'a usage error prints the usage on stderr only, and runs nothing' '
	NC_DAILY_DIR=$TRASH/bad "$DAILY" --no-such-flag >bad.out 2>bad.err || :
	test ! -s bad.out
	grep -q "^usage: nc-daily" bad.err
	test ! -e "$TRASH/bad"
'
expect_code 2 'a config value that is not a number is a usage error' '
	daily_config bad.conf "$TRASH/bad" "MAX_REJECT_PCT=five"
	"$DAILY" --config bad.conf --date $DAY
'
expect_code 2 'a password in ERP_CONNINFO is refused' '
	daily_config bad.conf "$TRASH/bad" ERP_SOURCE=pg "ERP_CONNINFO=\"host=x password=secret\""
	"$DAILY" --config bad.conf --date $DAY 2>pw.err
'
expect_success 'the refusal does not print the password' '
	grep -q "PGPASSWORD" pw.err && refute grep -q secret pw.err
'

BCB=$SRC_DIR/data/sample/bcb
WEATHER=$SRC_DIR/data/sample/weather/salvador-2025-hourly.inmet-layout.CSV
daily_config day.conf "$TRASH/d" FEATURES=$FEATURES ECON_SOURCE=file \
	"ECON_FILES='usd=$BCB/sgs_1_2020-11_2025-10_200.json ipca=$BCB/sgs_433_2024_200.json'" \
	WEATHER_SOURCE=file "WEATHER_FILES=$WEATHER" MIN_ROWS_WEATHER=1
expect_success "one day ($DAY) runs through every stage" '
	"$DAILY" --config day.conf --date $DAY >run.out 2>run.err || { cat run.err; exit 1; }
	test ! -s run.out
'
DB=$TRASH/d/nc.db
RUN=$(the_run "$TRASH/d" 2>/dev/null || :)

expect_success 'bronze_erp holds the day'"'"'s records as extracted, in its partition' '
	day_records slice.ndjson $DAY | sort >want
	nc-store dump -d "$DB" -p $DAY bronze_erp | sort >got
	cmp_files want got
'

expect_success 'silver is what nc-transform makes of the day'"'"'s records' '
	day_records slice.ndjson $DAY | nc-transform -k item_id,site_id --now $DAILY_NOW | sort >want
	nc-store dump -d "$DB" silver | sort >got
	test -s got
	cmp_files want got
'

expect_success 'the economic records of the day, from the saved SGS answers, in bronze and economic' '
	nc-extract-bcb --file "$BCB/sgs_1_2020-11_2025-10_200.json" --since $DAY --until $DAY usd >want
	test "$(wc -l <want)" = 1
	nc-store dump -d "$DB" -p $DAY bronze_economic >got
	cmp_files want got
	nc-store dump -d "$DB" economic >got
	cmp_files want got
'

expect_success 'the weather of the day, from the INMET-layout CSV, in bronze and weather' '
	nc-extract-inmet "$WEATHER" | day_records /dev/stdin $DAY >want
	test "$(wc -l <want)" = 1
	nc-store dump -d "$DB" -p $DAY bronze_weather >got
	cmp_files want got
	nc-store dump -d "$DB" weather >got
	cmp_files want got
'

series=$(day_records slice.ndjson $DAY | jq -r '[.item_id, .site_id] | @json' | sort -u | wc -l)
expect_success "forecasts: $series series x 7 days, as of $DAY, in its partition" '
	nc-store dump -d "$DB" -p $DAY forecasts >fc
	test "$(wc -l <fc)" = $((series * 7))
	test "$(jq -r .as_of fc | sort -u)" = $DAY
	test "$(jq -r .created_at fc | sort -u)" = $DAILY_NOW
	test "$(jq -r "[.item_id, .site_id] | @json" fc | sort -u | wc -l)" = "$series"
'

expect_success 'reorder: one record per series, the lead time of the config' '
	nc-store dump -d "$DB" -p $DAY reorder >ro
	test "$(wc -l <ro)" = "$series"
	test "$(jq -r .lead_time_days ro | sort -u)" = 7
'

expect_success 'alerts: what nc-alert makes of the reorder records' '
	nc-store dump -d "$DB" reorder | nc-alert -k item_id,site_id --now $DAILY_NOW >want
	nc-store dump -d "$DB" alerts >got
	cmp_files want got
'

expect_success 'the alert state is committed to the state directory' '
	jq -e ".version == 1 and (.alerts | type) == \"object\"" "$TRASH/d/state/alert.state"
'

expect_success 'the run has a log directory with run.log and timings.tsv' '
	test -d "$RUN"
	test -s "$RUN/run.log"
	test -s "$RUN/timings.tsv"
	head -n 1 "$RUN/timings.tsv" | grep -q "^day	stage	attempt	status	seconds$"
'

for st in extract-erp extract-weather extract-economic bronze silver gate features \
	forecast reorder alert commit; do
	expect_success "timings: $st ran once, status 0, with its log" '
		test "$(timings_of "$RUN" $DAY '"$st"')" = "1 0"
		awk -F "\t" "\$2 == \"'"$st"'\" && \$5 !~ /^[0-9]+\.[0-9][0-9][0-9]\$/ { exit 1 }" \
			"$RUN/timings.tsv"
		test -f "$RUN/$DAY/'"$st"'.log"
	'
done

expect_success 'the day directory keeps the extract, silver, forecast, reorder and alert files' '
	for f in erp.ndjson silver.ndjson forecast.ndjson reorder.ndjson alerts.ndjson; do
		test -f "$RUN/$DAY/$f" || { echo "no $f"; exit 1; }
	done
	cmp_files "$RUN/$DAY/alerts.ndjson" got
'

expect_success '-v reports each stage on stderr' '
	"$DAILY" -v --config day.conf --date $DAY 2>v.err
	for st in extract-erp bronze silver gate forecast reorder alert commit; do
		grep -q "$DAY $st: attempt 1: status 0" v.err || { echo "no $st"; exit 1; }
	done
'

expect_success 'without --date the run is for yesterday' '
	daily_config y.conf "$TRASH/y" ERP_SOURCE=none GOLD=none
	"$DAILY" --config y.conf
	test -d "$(the_run "$TRASH/y")/$(date -d yesterday +%F)"
'

expect_success 'the environment gives settings; the config file overrides them' '
	daily_config e.conf "$TRASH/e" FEATURES=$FEATURES
	NC_DB=$TRASH/e/other.db HORIZON=3 "$DAILY" --config e.conf --date $DAY
	test -s "$TRASH/e/other.db"
	test ! -e "$TRASH/e/nc.db"
	test "$(nc-store dump -d "$TRASH/e/other.db" forecasts | jq .horizon | sort -un | tail -n 1)" = 7
'

# A program that is not built fails its stage by name, and the day's state
# is not committed.
mkdir -p partial
for p in "$NC_BIN"/*; do
	case ${p##*/} in nc-forecast) ;; *) ln -s "$p" partial/ ;; esac
done
daily_config partial.conf "$TRASH/p" "NC_BIN=$TRASH/partial" "PATH=/usr/bin:/bin" FEATURES=off
expect_code 50 'a missing nc-forecast fails the run with status 50 (forecast)' '
	"$DAILY" --config partial.conf --date $DAY 2>partial.err
'
expect_success 'the message names the stage and says the program is not built' '
	grep -q "stage forecast failed" partial.err
	grep -q "nc-forecast: not built" partial.err
	test ! -e "$TRASH/p/state/alert.state"
'

done_testing
