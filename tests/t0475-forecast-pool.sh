#!/bin/sh
# nc-forecast --pool-only and --pool (lib/forecast_sizepool.c): what is
# pooled across series (the spread of request sizes, the input's dates)
# written as one JSON object, and used instead of the input's own, so that
# a run on some of the series (a shard) writes the rows of a run on all.
. "$(dirname "$0")/lib.sh"
F=$FIXTURES/features
NOW=--now=2026-11-27T05:00:00Z

# 60 series x 200 days with gaps, null and fractional quantities; two
# halves by series (every other item), each series whole in one of them.
LC_ALL=C awk -v items=60 -v days=200 -f "$F/gen-series.awk" >all.ndjson
LC_ALL=C awk '{
	match($0, /"item_id":"[^"]*"/)
	k = substr($0, RSTART, RLENGTH)
	if (!(k in h))
		h[k] = n++ % 2
	print >("half" h[k] ".ndjson")
}' all.ndjson

expect_success '--pool-only writes one JSON object with the pooled statistics' '
	nc-forecast $NOW --pool-only all.ndjson >pool.json
	test "$(wc -l <pool.json)" = 1
	jq -e "(.size_cv | type) == \"number\" and .size_cv > 0 and .pairs > 1000 and
	    .series == 60 and .period == \"day\" and .min_date == \"2024-01-01\" and
	    .max_date == \"2024-07-18\" and .cutoff == \"2024-07-19\" and
	    .month_starts == false and .weekday == -1" pool.json >/dev/null
'

expect_success '--pool of the same input: the same rows, byte for byte' '
	nc-forecast $NOW -H 7 --level 80,95 --quantiles 0.9 all.ndjson >plain.out
	nc-forecast $NOW -H 7 --level 80,95 --quantiles 0.9 --pool pool.json all.ndjson >pooled.out
	test "$(wc -l <plain.out)" = 420
	cmp_files plain.out pooled.out
'

expect_success 'with backtests: --pool-only of the same --backtest, the same rows' '
	nc-forecast $NOW --backtest 4 --pool-only all.ndjson >bt-pool.json
	nc-forecast $NOW -H 7 --backtest 4 all.ndjson >bt-plain.out
	nc-forecast $NOW -H 7 --backtest 4 --pool bt-pool.json all.ndjson >bt-pooled.out
	cmp_files bt-plain.out bt-pooled.out
'

expect_success 'two halves with the whole input'"'"'s pool: the whole run'"'"'s rows' '
	nc-forecast $NOW -H 7 --level 80,95 --pool pool.json half0.ndjson >h0.out
	nc-forecast $NOW -H 7 --level 80,95 --pool pool.json half1.ndjson >h1.out
	nc-forecast $NOW -H 7 --level 80,95 all.ndjson | sort >want
	sort h0.out h1.out >got
	test "$(wc -l <got)" = 420
	cmp_files want got
'

expect_success '... and without it a half pools its own series: other size_cv' '
	nc-forecast $NOW -H 7 --level 80,95 half0.ndjson | sort >h0-own
	comm -12 want h0-own >common
	test ! -s common
	jq -r .size_cv h0-own | sort -u >own-cv
	jq -r .size_cv h0.out | sort -u >pool-cv
	refute cmp -s own-cv pool-cv
'

expect_success 'a pool of the input'"'"'s dates: a half ending earlier keeps the whole window' '
	grep -v "\"date\":\"2024-07-1[0-8]\"" half0.ndjson >early.ndjson
	nc-forecast $NOW -H 7 --pool pool.json early.ndjson >early.out
	test "$(jq -r .date early.out | sort | head -n 1)" = 2024-07-19
'

expect_success '--pool-only on empty input: a null size_cv and no dates' '
	nc-forecast $NOW --pool-only </dev/null >empty-pool.json
	jq -e ".size_cv == null and .series == 0 and .min_date == null" empty-pool.json >/dev/null
	nc-forecast $NOW --pool empty-pool.json </dev/null >empty.out
	test ! -s empty.out
'

expect_code 1 '--pool of a missing file: exit 1, nothing written' '
	nc-forecast $NOW --pool no-such.json all.ndjson >out 2>err' '
	test ! -s out
	grep -q "^nc-forecast: error: --pool: no-such.json: No such file or directory$" err
'

printf '{"size_cv":0.5,' >torn.json
printf '{"size_cv":"wide","pairs":1,"series":1,"period":"day"}\n' >typed.json
: >empty.json
printf '[1,2]\n' >array.json
jq -c '.period = "year"' pool.json >period.json
jq -c 'del(.cutoff)' pool.json >nocutoff.json
printf '%s x\n' "$(cat pool.json)" >trailing.json
for f in torn typed empty array period nocutoff trailing; do
	expect_code 1 "--pool of a malformed file ($f): exit 1, nothing written" '
		nc-forecast $NOW --pool '$f'.json all.ndjson >out 2>err' '
		test ! -s out
		test "$(wc -l <err)" = 1
		grep -q "^nc-forecast: error: --pool: '$f'.json: " err
	'
done

expect_code 2 '--pool made with other options (--period, --backtest): usage error' '
	nc-forecast $NOW --period week --pool pool.json all.ndjson >out 2>err' '
	test ! -s out
	grep -q "pooled by day before 2024-07-19, but this run pools by week" err
	exits 2 nc-forecast $NOW --backtest 2 --pool pool.json all.ndjson
'

expect_code 2 '--pool-only with --pool: usage error' '
	nc-forecast --pool-only --pool pool.json all.ndjson 2>err' '
	grep -q "^nc-forecast: error: --pool-only goes with neither --pool nor --summary" err
'

expect_success '--pool-only to a full disk: exit 1, write error' '
	full_disk_fails nc-forecast --pool-only all.ndjson
'

expect_success '-h names --pool and --pool-only' '
	nc-forecast -h >h.out
	grep -q -- "--pool-only  *write what is pooled" h.out
	grep -q -- "--pool file  *use that pool" h.out
	grep -q "\[--pool file\] \[--pool-only\]" h.out
'

done_testing
