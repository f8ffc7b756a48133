#!/bin/sh
# nc-forecast --pool-only and --pool (lib/forecast_sizepool.c): what is
# pooled across series (the spread of request sizes, the input's dates)
# written as one JSON object, and used instead of the input's own, so that
# a run on some of the series (a shard) writes the rows of a run on all.
. "$(dirname "$0")/lib.sh"
F=$FIXTURES/features
NOW=--now=2026-11-27T05:00:00Z

# 60 series x 200 days with gaps, null and fractional quantities; two
# halves by series (every other item), each series whole in one of them,
# and three thirds (every third item).
LC_ALL=C awk -v items=60 -v days=200 -f "$F/gen-series.awk" >all.ndjson
# split_series N NAME: all.ndjson into NAME0.ndjson .. by series, in turn.
split_series() {
	LC_ALL=C awk -v n="$1" -v name="$2" '{
		match($0, /"item_id":"[^"]*"/)
		k = substr($0, RSTART, RLENGTH)
		if (!(k in h))
			h[k] = s++ % n
		print >(name h[k] ".ndjson")
	}' all.ndjson
}
split_series 2 half
split_series 3 third

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

for p in day week month; do
	expect_success "--pool-part of two halves, --pool-merge: the whole input's pool, byte for byte ($p)" '
		nc-forecast $NOW --period '$p' --backtest 2 --pool-only all.ndjson >whole-'$p'.json
		nc-forecast $NOW --period '$p' --backtest 2 --pool-part half0.ndjson >part0-'$p'.json
		nc-forecast $NOW --period '$p' --backtest 2 --pool-part half1.ndjson >part1-'$p'.json
		test "$(wc -l <part0-'$p'.json)" = 1
		jq -e ".pool_part == 1 and .series == 30 and (.sums | length) > 0" part0-'$p'.json >/dev/null
		nc-forecast $NOW --period '$p' --backtest 2 --pool-merge part0-'$p'.json part1-'$p'.json >m01.json
		cmp_files whole-'$p'.json m01.json
	'
done

expect_success '... in any order of the parts, from standard input too' '
	cat part1-week.json part0-week.json |
		nc-forecast $NOW --period week --backtest 2 --pool-merge >m10.json
	cmp_files whole-week.json m10.json
'

expect_success '... the merged pool gives each half the whole run'"'"'s rows' '
	nc-forecast $NOW --period week -H 4 --backtest 2 all.ndjson | sort >want-week
	for h in 0 1; do
		nc-forecast $NOW --period week -H 4 --backtest 2 --pool m10.json half$h.ndjson
	done | sort >got-week
	test -s got-week
	cmp_files want-week got-week
'

expect_success 'parts of three splits by series merge to the same pool' '
	for t in 0 1 2; do
		nc-forecast $NOW --period day --backtest 2 --pool-part third$t.ndjson
	done >thirds.json
	test "$(wc -l <thirds.json)" = 3
	nc-forecast $NOW --period day --backtest 2 --pool-merge thirds.json >m3.json
	cmp_files whole-day.json m3.json
'

expect_success '--pool-part of empty input merges with the others, changing nothing' '
	nc-forecast $NOW --period day --backtest 2 --pool-part </dev/null >part-empty.json
	jq -e ".series == 0 and .min_date == null and .sums == []" part-empty.json >/dev/null
	nc-forecast $NOW --period day --backtest 2 --pool-merge part-empty.json part0-day.json \
		part1-day.json >me.json
	cmp_files whole-day.json me.json
'

expect_code 2 '--pool-part without --period, or with --pool-only: usage error' '
	nc-forecast $NOW --pool-part all.ndjson >out 2>err' '
	test ! -s out
	grep -q "^nc-forecast: error: --pool-part, --pool-merge: one of them, with --period" err
	exits 2 nc-forecast --period day --pool-part --pool-only all.ndjson
	exits 2 nc-forecast --period day --pool-merge --pool pool.json part0-day.json
'

jq -c '.sums[0][2] = "1x"' part0-day.json >badsum.json
for f in pool badsum empty; do
	expect_code 1 "--pool-merge of a file that is not parts ($f): exit 1, nothing written" '
		nc-forecast $NOW --period day --pool-merge '$f'.json >out 2>err' '
		test ! -s out
		grep -q "^nc-forecast: error: --pool-merge: " err
	'
done

expect_code 1 '--pool-merge of parts of another --period: exit 1' '
	nc-forecast $NOW --period day --pool-merge part0-week.json >out 2>err' '
	test ! -s out
	grep -q "parts pooled by another --period" err
'

expect_success '--pool-part to a full disk: exit 1, write error' '
	full_disk_fails nc-forecast --period day --pool-part all.ndjson
'

expect_success '-h names --pool and --pool-only' '
	nc-forecast -h >h.out
	grep -q -- "--pool-only  *write what is pooled" h.out
	grep -q -- "--pool file  *use that pool" h.out
	grep -q "\[--pool file\] \[--pool-only\] \[--pool-part\] \[--pool-merge\]" h.out
'

done_testing
