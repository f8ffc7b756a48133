#!/bin/sh
# nc-features --no-fill gives what the seed's SQL (int_item_features)
# gives on the same rows, run in SQLite.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/features-lib.sh"

expect_success 'the SQLite translation runs the seed window SQL' '
	sql_features $F/sample.ndjson sql.json &&
	test $(jq length sql.json) = $(wc -l <$F/sample.ndjson)
'

expect_success 'real sample (8 items of the company export): same as SQL' '
	sql_features $F/sample.ndjson sql.json &&
	nc-features --no-fill $F/sample.ndjson >nc.ndjson &&
	test $(wc -l <nc.ndjson) = $(wc -l <$F/sample.ndjson) &&
	same_as_sql nc.ndjson sql.json
'

expect_success 'long series with gaps, nulls and fractions: same as SQL' '
	LC_ALL=C awk -v items=4 -v days=200 -f $F/gen-series.awk >gen.ndjson &&
	grep -q "\"quantity\":null" gen.ndjson && grep -q "\"quantity\":[0-9]*\.[0-9]" gen.ndjson &&
	sql_features gen.ndjson sql.json &&
	nc-features --no-fill gen.ndjson >nc.ndjson &&
	same_as_sql nc.ndjson sql.json &&
	jq -e "select(.lag_30 != null)" nc.ndjson >/dev/null
'

expect_success 'streamed (--sorted) and sorted in memory give the same rows' '
	LC_ALL=C awk -v items=4 -v days=200 -f $F/gen-series.awk >gen.ndjson &&
	nc-features --no-fill --sorted gen.ndjson >a &&
	sort -r gen.ndjson | nc-features --no-fill >b &&
	cmp_files a b
'

expect_success 'the comparison catches a wrong value' '
	sql_features $F/sample.ndjson sql.json &&
	nc-features --no-fill $F/sample.ndjson | sed "0,/\"lag_1\":[0-9]/s/\"lag_1\":\([0-9]\)/\"lag_1\":1\1/" >nc.ndjson &&
	! same_as_sql nc.ndjson sql.json
'

done_testing
