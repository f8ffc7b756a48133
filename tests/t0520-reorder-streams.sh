#!/bin/sh
# nc-reorder: the cases every filter must get right, and its man page.
. "$(dirname "$0")/lib.sh"
R=$FIXTURES/reorder

expect_success 'empty input: no output, exit 0' '
	nc-reorder </dev/null >out 2>err && test ! -s out && test ! -s err
'

expect_code 3 'malformed lines are rejects, not crashes; good series still come out' '
	{ printf "%s\n" "{" "[1]" "{\"item_id\":\"Z\",\"date\":\"bad\",\"forecasted_demand\":1}" \
		"{\"item_id\":\"Z\",\"date\":\"2026-11-27\",\"forecasted_demand\":-1}" \
		"{\"date\":\"2026-11-27\",\"forecasted_demand\":1}" \
		"{\"item_id\":\"Z\",\"date\":\"2026-11-27\",\"period\":\"year\",\"forecasted_demand\":1}"
	  jq -c "select(.item_id == \"030042\")" $R/forecast.ndjson; } |
	nc-reorder -r rej >out 2>err' '
	test $(wc -l <out) = 1 && test $(wc -l <rej) = 6 &&
	jq -se "map(.reason) | .[2:] == [\"date: not a date\", \"forecasted_demand: not a number >= 0\", \"item_id: missing\", \"period: not day, week or month\"]" rej
'

expect_success 'rows of one series must be together: an error says so' '
	jq -c "select(.item_id == \"030042\" or .item_id == \"040007\")" $R/forecast.ndjson >two
	{ head -n 1 two; tail -n +2 two | sort -r; } >mixed
	st=0; nc-reorder mixed >out 2>err || st=$?
	test $st = 1 && grep -q "not together" err
'

expect_success 'unknown fields are ignored; -v counts rows and series' '
	jq -c "select(.item_id == \"030042\") | .extra = {\"a\": [1, 2]}" $R/forecast.ndjson |
	nc-reorder -v >out 2>err && test $(wc -l <out) = 1 && grep -q "8 rows in, 1 series, 1 out" err
'

expect_success '| head -n1 ends quietly' '
	for i in 1 2 3 4 5 6 7 8 9 10; do sed "s/\"item_id\":\"0/\"item_id\":\"$i/" $R/forecast.ndjson; done >big &&
	head_is_quiet nc-reorder --lead-time 5 big
'

expect_success 'a full disk is an error, not success' '
	full_disk_fails nc-reorder --lead-time 5 $R/forecast.ndjson
'

expect_code 1 'a missing input file is an error' 'nc-reorder nosuchfile 2>err'
expect_code 2 'a bad flag is a usage error' 'nc-reorder --bogus </dev/null'

expect_success 'output does not depend on the locale' '
	LC_ALL=pt_BR.UTF-8 nc-reorder --lead-time 5 $R/forecast.ndjson >a &&
	LC_ALL=C nc-reorder --lead-time 5 $R/forecast.ndjson >b && cmp_files a b &&
	grep -q "\"z\":1.6449," a
'

cd "$SRC_DIR" || exit 1
run_man_examples "$SRC_DIR/man/nc-reorder.1"
done_testing
