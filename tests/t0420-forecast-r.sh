#!/bin/sh
# nc-forecast's point forecasts against R's forecast package, through the
# program (values made once by scripts/gen-forecast-expected.R; no R here).
# Tolerance: 1e-9 relative (the same arithmetic).  Croston and ses with
# fixed constants are compared in tests/unit/forecast.c.
. "$(dirname "$0")/lib.sh"
F=$FIXTURES/forecast
NOW=--now=2026-11-27T05:00:00Z

# to_ndjson NAME: the fixed series (31 values at most) as item-day
# records of January 2025.
to_ndjson() {
	LC_ALL=C awk -v id="$1" '{ printf "{\"item_id\":\"%s\",\"date\":\"2025-01-%02d\",\"quantity\":%s}\n", id, NR, $1 }' \
	    "$F/series-$1.txt"
}

# compare NAME METHOD MODEL H
compare() {
	to_ndjson "$1" >in.ndjson
	nc-forecast $NOW --model "$3" -H "$4" in.ndjson | jq -r .forecasted_demand >got
	LC_ALL=C awk -F '\t' -v s="$1" -v m="$2" '$1 == s && $2 == m { print $4 }' "$F/r-expected.tsv" >want
	test -s want
	paste got want | LC_ALL=C awk '{ d = $1 - $2; if (d < 0) d = -d; if (d > 1e-9 * (1 + ($2 < 0 ? -$2 : $2))) { print "got " $1 " want " $2; bad = 1 } } END { exit bad }'
}

for s in lumpy smooth weekly sparse; do
	expect_success "naive on $s as R's naive()" "compare $s naive naive 5"
	expect_success "historical mean on $s as R's meanf()" "compare $s meanf mean 5"
done
expect_success 'seasonal naive (m = 7) on weekly as R snaive()' 'compare weekly snaive snaive 10'

expect_success 'the series fit in one month (31 values at most)' '
	for s in lumpy smooth weekly sparse; do test $(wc -l <"$F/series-$s.txt") -le 31; done
'

done_testing
