#!/bin/sh
# nc-features --exog: weather by date, economic series pivoted, monthly
# values spread over their month, daily values carried over weekends.
. "$(dirname "$0")/lib.sh"
F=$FIXTURES/features

for d in 05 08 10 14 15; do
	printf '{"item_id":"X","quantity":1,"date":"2024-01-%s"}\n' $d
done >in

at() { jq -r --arg d "$1" "select(.date == \$d) | .$2" out; }
# wx DATE FIELD: the weather fixture's value.
wx() { jq -r --arg d "$1" "select(.date == \$d) | .$2" $F/weather.ndjson; }

expect_success 'weather fields joined by date, null on a day without a record' '
	nc-features --exog $F/weather.ndjson in >out &&
	for f in precip_mm temp_max_c temp_min_c temp_mean_c humidity_pct wind_ms; do
		test "$(at 2024-01-05 $f)" = "$(wx 2024-01-05 $f)" || exit 1
		test "$(at 2024-01-14 $f)" = "$(wx 2024-01-14 $f)" || exit 1
	done &&
	test "$(at 2024-01-06 precip_mm)" = null && test "$(at 2024-01-06 filled)" = true &&
	refute grep -q "\"station\"" out
'

expect_success 'economic series: econ_<series>, monthly over the month, daily carried 4 days' '
	nc-features --exog $F/economic.ndjson in >out &&
	test "$(jq -r .econ_ipca out | sort -u)" = 0.42 &&
	test "$(at 2024-01-05 econ_usd_brl)" = 4.8899 &&
	test "$(at 2024-01-06 econ_usd_brl)" = 4.8899 && test "$(at 2024-01-07 econ_usd_brl)" = 4.8899 &&
	test "$(at 2024-01-08 econ_usd_brl)" = 4.885 &&
	test "$(at 2024-01-14 econ_usd_brl)" = 4.8901 && test "$(at 2024-01-15 econ_usd_brl)" = null
'

expect_success 'both files at once; exogenous columns sorted by name after the features' '
	nc-features --exog $F/weather.ndjson --exog $F/economic.ndjson in >out &&
	test "$(head -n 1 out | jq -r "keys_unsorted[-8:] | join(\",\")")" = "econ_ipca,econ_usd_brl,humidity_pct,precip_mm,temp_max_c,temp_mean_c,temp_min_c,wind_ms"
'

expect_success 'weeks: precipitation summed, the rest averaged over the days with values' '
	nc-features --period week --exog $F/weather.ndjson --exog $F/economic.ndjson in >out &&
	want=$(jq -s "map(select(.date >= \"2024-01-01\" and .date <= \"2024-01-07\")) | (map(.precip_mm) | add), (map(.temp_mean_c) | add / length)" $F/weather.ndjson | tr "\n" " ") &&
	got=$(jq -r "select(.date == \"2024-01-01\") | .precip_mm, .temp_mean_c" out | tr "\n" " ") &&
	jq -n --arg w "$want" --arg g "$got" "(\$w | split(\" \")[:2] | map(tonumber)) as \$a | (\$g | split(\" \")[:2] | map(tonumber)) as \$b | ((\$a[0]-\$b[0])|fabs) < 1e-9 and ((\$a[1]-\$b[1])|fabs) < 1e-9" | grep -q true &&
	usd=$(jq -r "select(.date == \"2024-01-01\") | .econ_usd_brl" out) &&
	test "$(jq -n "((4.8916+4.9212+4.9188+4.8899+4.8899+4.8899)/6 - $usd) | fabs < 1e-12")" = true
'

expect_success '--station picks one station; another station gives nulls' '
	sed "s/A401/A456/" $F/weather.ndjson >other &&
	nc-features --station A401 --exog $F/weather.ndjson --exog other in >out &&
	test "$(at 2024-01-05 precip_mm)" = "$(wx 2024-01-05 precip_mm)" &&
	nc-features --station A999 --exog $F/weather.ndjson in >out &&
	test "$(jq -r .precip_mm out | sort -u)" = null
'

expect_code 1 'several stations without --station is an error' '
	sed "s/A401/A456/" $F/weather.ndjson >other &&
	nc-features --exog $F/weather.ndjson --exog other in >out 2>err' '
	grep -q "choose one with --station" err
'

expect_code 3 'a bad exogenous record is a reject, with its file and line' '
	{ cat $F/economic.ndjson; echo "{\"series\":\"selic\",\"date\":\"2024-01-05\",\"value\":\"high\"}"; echo "{\"date\":\"2024-01-05\"}"; } >econ &&
	nc-features --exog econ -r rej in >out' '
	test $(wc -l <rej) = 2 && jq -s -e ".[0] | .line == 20 and .input == \"econ\" and .reason == \"value: not a number\"" rej &&
	test $(wc -l <out) = 11
'

expect_code 1 'a missing --exog file is an error' 'nc-features --exog nosuch in'

expect_success 'exogenous fields already in the input are replaced, not doubled' '
	nc-features --exog $F/economic.ndjson in >once &&
	nc-features --exog $F/economic.ndjson once >twice &&
	jq -c "del(.filled)" once >a && jq -c "del(.filled)" twice >b && cmp_files a b
'

done_testing
