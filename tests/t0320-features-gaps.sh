#!/bin/sh
# nc-features: gaps filled to a daily calendar, --until, periods, duplicates.
. "$(dirname "$0")/lib.sh"

cat >in <<'R'
{"item_id":"A","item_name":"first","quantity":5,"date":"2024-01-01","site_id":"S1"}
{"item_id":"A","item_name":"second","quantity":2,"date":"2024-01-03","site_id":"S1"}
{"item_id":"A","item_name":"third","quantity":7,"date":"2024-01-10","site_id":"S1"}
{"item_id":"B","item_name":"b1","quantity":1,"date":"2024-01-15"}
{"item_id":"B","item_name":"b2","quantity":2.5,"date":"2024-03-02"}
R

# at DATE FIELD [ITEM]: the field of the output row of that date.
at() { jq -r --arg d "$1" --arg i "${3:-A}" "select(.item_id == \$i and .date == \$d) | .$2" out; }

expect_success 'every day from first to last date, missing days filled with 0' '
	nc-features in >out &&
	test "$(jq -r "select(.item_id == \"A\") | .date" out | wc -l)" = 10 &&
	test "$(jq -r "select(.item_id == \"A\" and .filled) | .quantity" out | sort -u)" = 0 &&
	test "$(jq -r "select(.item_id == \"A\" and (.filled | not)) | .date" out | tr "\n" " ")" = "2024-01-01 2024-01-03 2024-01-10 "
'

expect_success 'a filled day carries the previous row attributes' '
	nc-features in >out &&
	test "$(at 2024-01-02 item_name)" = first && test "$(at 2024-01-09 item_name)" = second &&
	test "$(at 2024-01-09 site_id)" = S1 && test "$(at 2024-01-10 item_name)" = third
'

expect_success 'lags and windows then count days, not rows' '
	nc-features in >out &&
	test "$(at 2024-01-10 lag_7)" = 2 && test "$(at 2024-01-10 lag_1)" = 0 &&
	test "$(at 2024-01-10 rolling_mean_7)" = 1 &&
	nc-features --no-fill in >out &&
	test "$(at 2024-01-10 lag_1)" = 2 && test "$(at 2024-01-10 lag_7)" = null &&
	test "$(at 2024-01-10 rolling_mean_7)" = "$(jq -n "(5+2+7)/3")"
'

expect_success '--no-fill keeps the rows as they are, without "filled"' '
	nc-features --no-fill in >out &&
	test $(wc -l <out) = 5 && refute grep -q filled out &&
	jq -c "del(.year,.month,.quarter,.day,.day_of_week,.day_of_year,.month_sin,.month_cos,.day_of_week_sin,.day_of_week_cos,.is_weekend,.is_month_start,.is_month_end,.is_holiday,.days_to_holiday,.lag_1,.lag_7,.lag_30,.rolling_mean_7,.rolling_std_7,.rolling_mean_30)" out >back &&
	cmp_files in back
'

expect_success '--until extends every series to that date' '
	nc-features --until 2024-03-05 in >out &&
	test "$(jq -r "select(.item_id == \"A\") | .date" out | tail -n 1)" = 2024-03-05 &&
	test "$(jq -r "select(.item_id == \"B\") | .date" out | tail -n 1)" = 2024-03-05 &&
	test "$(at 2024-03-05 filled B)" = true
'

expect_success '--period week: ISO weeks from Monday, target summed, last row attributes' '
	nc-features --period week in >out &&
	test "$(jq -r "select(.item_id == \"A\") | [.date, .quantity, .item_name] | @tsv" out | tr "\t\n" ",;")" = "2024-01-01,7,second;2024-01-08,7,third;" &&
	test "$(at 2024-01-01 day_of_week)" = 2 &&
	test "$(at 2024-01-08 lag_1)" = 7
'

expect_success '--period month: months filled too' '
	nc-features --period month in >out &&
	test "$(jq -r "select(.item_id == \"B\") | [.date, .quantity, .filled] | @tsv" out | tr "\t\n" ",;")" = "2024-01-01,1,false;2024-02-01,0,true;2024-03-01,2.5,false;" &&
	test "$(at 2024-03-01 rolling_mean_7 B)" = "$(jq -n "(1+0+2.5)/3")"
'

expect_success 'a week with a holiday is a holiday week' '
	nc-features --period week in >out &&
	test "$(at 2024-01-01 is_holiday)" = 1 && test "$(at 2024-01-08 is_holiday)" = 0
'

expect_success 'duplicates of (key, date) are summed by default' '
	printf "%s\n" "{\"item_id\":\"A\",\"item_name\":\"x\",\"quantity\":3,\"date\":\"2024-01-03\"}" >>in2 &&
	cat in in2 | nc-features >out &&
	test "$(at 2024-01-03 quantity)" = 5 && test "$(at 2024-01-03 item_name)" = x &&
	test "$(jq -r "select(.item_id == \"A\") | .date" out | wc -l)" = 10
'

expect_code 3 '--dup reject: the later duplicate is a reject' '
	printf "%s\n" "{\"item_id\":\"A\",\"item_name\":\"x\",\"quantity\":3,\"date\":\"2024-01-03\"}" >in2 &&
	cat in in2 | nc-features --dup reject -r rej >out' '
	test "$(at 2024-01-03 quantity)" = 2 && jq -e "._reject.item_name == \"x\" and .reason == \"duplicate key and date\"" rej
'

expect_success 'several key fields: a series per item and site' '
	printf "%s\n" "{\"item_id\":\"A\",\"quantity\":3,\"date\":\"2024-01-02\",\"site_id\":\"S2\"}" >in2 &&
	cat in in2 | nc-features -k item_id,site_id >out &&
	test "$(jq -r "select(.item_id == \"A\" and .site_id == \"S2\" and .filled == false) | .date" out)" = 2024-01-02 &&
	test "$(jq -r "select(.item_id == \"A\" and .site_id == \"S2\") | .date" out | head -n 1)" = 2024-01-01 &&
	test "$(jq -r "select(.item_id == \"B\") | .site_id" out | sort -u)" = null
'

expect_success '-t names the target' '
	sed "s/quantity/demand/" in | nc-features -t demand >out &&
	test "$(at 2024-01-10 lag_7)" = 2 && refute grep -q quantity out
'

expect_success 'every series is filled from the data'"'"'s first day (--from in a stream)' '
	first=$(jq -r .date in | sort | head -n 1) &&
	nc-features in >a &&
	test "$(jq -r "select(.item_id == \"B\") | .date" a | head -n 1)" = "$first" &&
	jq -e -s "map(select(.item_id == \"B\" and .date < \"2024-01-15\")) | length > 0 and all(.filled and .quantity == 0)" a &&
	nc-features --sorted in >b && test "$(jq -r "select(.item_id == \"B\") | .date" b | head -n 1)" != "$first" &&
	nc-features --sorted --from "$first" in >c && cmp_files a c &&
	nc-features --from 2024-01-15 in >d &&
	test "$(jq -r "select(.item_id == \"B\") | .date" d | head -n 1)" = "$(jq -r "select(.item_id == \"B\") | .date" b | head -n 1)"
'

expect_success 'a date far from the others: fills bounded by --max-periods, with a warning' '
	printf "%s\n" "{\"item_id\":\"A\",\"date\":\"0001-01-01\",\"quantity\":1}" \
	    "{\"item_id\":\"A\",\"date\":\"2025-01-01\",\"quantity\":3}" \
	    "{\"item_id\":\"B\",\"date\":\"2025-02-01\",\"quantity\":3}" >far &&
	nc-features far >out 2>err &&
	test $(wc -l <out) = 10003 &&
	grep -q "2 gaps longer than --max-periods 5000" err &&
	nc-features --max-periods 10 far >out 2>err &&
	test "$(jq -r "select(.item_id == \"B\") | .date" out | head -n 1)" = 2025-01-22 &&
	test $(wc -l <out) = 23
'

expect_success '--sorted streams sorted input and refuses unsorted input' '
	first=$(jq -r .date in | sort | head -n 1) &&
	nc-features in >a && nc-features --sorted --from "$first" in >b && cmp_files a b &&
	sort -r in | nc-features >c && cmp_files a c &&
	{ sort -r in | nc-features --sorted >d 2>err; test $? = 1; } &&
	grep -q "not ordered" err
'

done_testing
