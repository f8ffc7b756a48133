#!/bin/sh
# nc-reorder: the formulas on forecast rows, the company's worked example,
# lead times, service levels, EOQ.
. "$(dirname "$0")/lib.sh"
R=$FIXTURES/reorder

# calc EXPR: awk arithmetic (sqrt, ^) in the C locale.
calc() { LC_ALL=C awk "BEGIN { printf \"%.10f\", $1 }"; }

# near FILE JQPATH VALUE: the number at JQPATH is VALUE within 1e-3.
near() {
	jq -e --argjson v "$3" "($2 - \$v) | fabs < 1e-3" "$1" >/dev/null ||
	{ echo "$2 = $(jq "$2" "$1"), want $3"; return 1; }
}

expect_success 'the company worked example: d = 8/day, LT = 14, SS = 20 gives PP = 132' '
	# 28 days of history, 8 - a and 8 + a in turn: sample sd a sqrt(28/27),
	# with a such that 1.6448536 x sd x sqrt(14) = 20.
	LC_ALL=C awk "BEGIN { a = 20 / (1.6448536269514722 * sqrt(14)) / sqrt(28 / 27);
		for (i = 0; i < 28; i++)
			printf \"{\\\"item_id\\\":\\\"X\\\",\\\"date\\\":\\\"2026-10-%02d\\\",\\\"quantity\\\":%.12f,\\\"current_stock\\\":100,\\\"lead_time_days\\\":14}\\n\", i + 1, i % 2 ? 8 + a : 8 - a }" >hist &&
	nc-reorder --method classic --delivery 0 <hist >out &&
	near out .avg_daily_demand 8 && near out .lead_time_demand 112 &&
	near out .safety_stock 20 && near out .reorder_point 132 &&
	jq -e ".method == \"classic\" and .as_of == \"2026-10-28\" and .stockout_date == \"2026-11-10\"" out
'

expect_success 'forecast method, continuous review: LTD is the sum of 14 daily forecasts, SS = z sqrt(sum var + d^2 sd_LT^2)' '
	jq -c "select(.item_id == \"010825\")" $R/forecast.ndjson >in &&
	nc-reorder --delivery 0 --review 0 in >a 2>err &&
	ltd=$(jq -s "map(select(.item_id == \"010825\" and .horizon <= 14)) | map(.forecasted_demand) | add" $R/forecast.ndjson) &&
	var=$(jq -s "map(select(.item_id == \"010825\" and .horizon <= 14)) | map(.forecast_sd * .forecast_sd) | add" $R/forecast.ndjson) &&
	ss=$(calc "1.6448536269514722 * sqrt($var + ($ltd / 14)^2 * 9)") &&
	near a .lead_time_demand "$ltd" && near a .safety_stock "$ss" &&
	pp=$(calc "$ltd + $ss") && near a .reorder_point "$pp" &&
	near a .z 1.6449
'

expect_success 'no forecast_sd: the sd comes from the upper quantile q95 against q50' '
	jq -c "select(.item_id == \"020311\")" $R/forecast.ndjson | nc-reorder --delivery 0 --review 0 >a &&
	# 7 days of q95 - q50 = 1.644854 x 1.1 x h^0.25: sd recovered per day.
	var=$(jq -s "map(select(.item_id == \"020311\" and .horizon <= 7)) | map(((.q95 - .q50) / 1.6448536269514722) | . * .) | add" $R/forecast.ndjson) &&
	near a .safety_stock "$(calc "1.6448536269514722 * sqrt($var)")"
'

expect_success 'weekly rows are spread over their days: LT 21 days is 3 weeks' '
	jq -c "select(.item_id == \"030042\")" $R/forecast.ndjson | nc-reorder --delivery 0 --review 0 >a &&
	near a .lead_time_demand 63 && near a .avg_daily_demand 3 &&
	var=$(jq -s "map(select(.item_id == \"030042\" and .horizon <= 3)) | map(.forecast_sd * .forecast_sd) | add" $R/forecast.ndjson) &&
	near a .safety_stock "$(calc "1.6448536269514722 * sqrt($var + 9 * 25)")"
'

expect_success 'monthly rows: 45 days is December (31) and 14 of January' '
	jq -c "select(.item_id == \"040007\")" $R/forecast.ndjson | nc-reorder --delivery 0 >a &&
	near a .lead_time_demand "$(calc "9 + 14 * 9 / 31")"
'

expect_success 'periodic review: PP protects LT + review (14 + 10 days); S = PP; order = ceil(S - stock - on order)' '
	jq -c "select(.item_id == \"010825\") | .on_order = 20" $R/forecast.ndjson | nc-reorder --delivery 0 --review 10 >a &&
	rv=$(jq -s "map(select(.item_id == \"010825\" and .horizon <= 24)) | map(.forecasted_demand) | add" $R/forecast.ndjson) &&
	var=$(jq -s "map(select(.item_id == \"010825\" and .horizon <= 24)) | map(.forecast_sd * .forecast_sd) | add" $R/forecast.ndjson) &&
	near a .protection_days 24 && near a .protection_demand "$rv" &&
	near a .reorder_point "$(calc "$rv + 1.6448536269514722 * sqrt($var + ($rv / 24)^2 * 9)")" &&
	jq -e "(.order_up_to - .reorder_point | fabs) < 1e-9 and .demand_model == \"normal\" and
		.recommended_order_qty == ((.order_up_to - 150 - 20) | ceil) and .on_order == 20" a
'

expect_success 'days of cover = stock / d; stockout = first day the cumulative forecast exceeds stock' '
	jq -c "select(.item_id == \"010825\")" $R/forecast.ndjson | nc-reorder >a &&
	near a .days_of_cover "$(calc "150 / 7.56")" &&
	want=$(jq -rs "map(select(.item_id == \"010825\")) | sort_by(.horizon) | reduce .[] as \$r ({c: 0, d: null}; if .d == null then (.c += \$r.forecasted_demand | if .c > 150 then .d = \$r.date else . end) else . end) | .d" $R/forecast.ndjson) &&
	jq -e --arg d "$want" ".stockout_date == \$d" a
'

expect_success 'EOQ: S = PP + sqrt(2 x 365 d x K / (h x cost))' '
	jq -c "select(.item_id == \"010825\")" $R/forecast.ndjson | nc-reorder --order-cost 80 --holding-rate 0.25 >a &&
	near a .eoq "$(calc "sqrt(2 * 365 * 7.56 * 80 / (0.25 * 12.5))")" &&
	jq -e "(.order_up_to - .reorder_point - .eoq | fabs) < 1e-3" a
'

expect_success 'lead times pooled: none of its own takes all series'"'"' delay (n-weighted) plus the delivery' '
	# Observations: 010825 14 (sd given: 30), 020311 7 (1), 030042 21 (30),
	# 040007 45 (30): (420 + 7 + 630 + 1350) / 91 = 26.4505; + 7 days.
	nc-reorder $R/forecast.ndjson >out &&
	jq -se "map(select(.item_id == \"050199\"))[0] | .lead_time_pooled == \"all\" and
		.lead_time_obs == 0 and .purchase_delay_days == 26.4505 and .delivery_days == 7 and
		.lead_time_days == 33.4505 and .lead_time_std > 0" out
'

expect_success 'lead times pooled: toward the supplier with weight n / (n + 3)' '
	# FORNEC A: 010825 (14, sd 3, 30 obs) and 040007 (45, sd 10, 30 obs):
	# prior mean 29.5; 010825: w = 30/33, 14 w + 29.5 (1 - w) = 15.4091.
	nc-reorder --delivery 0 $R/forecast.ndjson >out &&
	jq -se "map(select(.item_id == \"010825\"))[0] | .lead_time_pooled == \"supplier\" and
		.purchase_delay_days == 15.4091 and .lead_time_days == 15.4091" out &&
	jq -c "select(.item_id == \"010825\") | .lead_time_obs = 3 | .lead_time_days = 10 | .lead_time_std = 2" $R/forecast.ndjson >a &&
	jq -c "select(.item_id == \"040007\") | .lead_time_obs = 20 | .lead_time_days = 20 | .lead_time_std = 4" $R/forecast.ndjson >>a &&
	nc-reorder --delivery 0 a >out &&
	# prior (30 + 400) / 23 = 18.6957, w = 0.5: 14.3478.
	jq -se ".[0].purchase_delay_days == 14.3478" out
'

expect_success '--lead-time N sets every lead time; --lead-times FILE by supplier' '
	nc-reorder --lead-time 10 $R/forecast.ndjson >out
	test $(wc -l <out) = 5
	jq -se "all(.lead_time_days == 10)" out
	printf "%s\n" "{\"supplier_id\":\"FORNEC D\",\"lead_time_days\":20,\"lead_time_std\":4}" \
		"{\"supplier_id\":\"FORNEC B\",\"delivery_days\":3}" >lt &&
	nc-reorder --lead-times lt $R/forecast.ndjson >out &&
	jq -se "map(select(.item_id == \"050199\"))[0] | .lead_time_days == 20 and .lead_time_std == 4" out &&
	jq -se "map(select(.item_id == \"020311\"))[0] | .delivery_days == 3 and
		.lead_time_days == .purchase_delay_days + 3" out &&
	jq -se "map(select(.item_id == \"010825\"))[0] | .delivery_days == 7" out
'

expect_success '--service-levels FILE: item, then family, then --service-level' '
	printf "%s\n" "{\"item_id\":\"010825\",\"service_level\":0.99}" "{\"family\":\"ELETRICO\",\"service_level\":0.9}" >sl &&
	nc-reorder --service-level 97.5% --service-levels sl -m 1 -r /dev/null $R/forecast.ndjson >out &&
	jq -se "map(select(.item_id == \"010825\"))[0] | .service_level == 0.99 and (.z - 2.3263 | fabs) < 1e-4" out &&
	jq -se "map(select(.item_id == \"020311\"))[0] | .service_level == 0.9" out &&
	jq -se "map(select(.item_id == \"030042\"))[0] | .service_level == 0.975 and .z == 1.96" out
'

expect_success '--service-levels FILE: a percent string is a percent' '
	printf "%s\n" "{\"item_id\":\"010825\",\"service_level\":\"97.5%\"}" >sl &&
	nc-reorder --service-levels sl $R/forecast.ndjson >out &&
	jq -se "map(select(.item_id == \"010825\"))[0] | .service_level == 0.975" out
'

expect_code 2 '--service-levels FILE: a bare 1 is ambiguous, a usage error' '
	echo "{\"item_id\":\"A\",\"service_level\":1}" >sl && nc-reorder --service-levels sl </dev/null
'

expect_success 'classic with --lead-time: the window still starts on the data'"'"'s first day' '
	printf "%s\n" "{\"item_id\":\"B\",\"date\":\"2026-01-01\",\"quantity\":1}" \
		"{\"item_id\":\"A\",\"date\":\"2026-01-10\",\"quantity\":10}" >h &&
	nc-reorder --method classic --lead-time 4 h >out &&
	jq -se ".[1].avg_daily_demand == 1" out
'

expect_success 'a higher service level never lowers the reorder point' '
	nc-reorder --service-level 0.9 -m 1 -r /dev/null $R/forecast.ndjson >a &&
	nc-reorder --service-level 0.99 -m 1 -r /dev/null $R/forecast.ndjson >b &&
	jq -se "(.[0:5] | map(.reorder_point)) as \$a | (.[5:10] | map(.reorder_point)) as \$b | [range(5)] | all(\$a[.] < \$b[.])" a b
'

expect_success '-k item_id,site_id: one record per item and site' '
	jq -c "select(.item_id == \"010825\")" $R/forecast.ndjson >one &&
	{ cat one; sed "s/BA-SSA-01/BA-FSA-02/" one; } | nc-reorder -k item_id,site_id >out &&
	test $(wc -l <out) = 2 && jq -se "map(.site_id) == [\"BA-SSA-01\", \"BA-FSA-02\"]" out
'

expect_success '-k item_id,site_id: a null site is a value of the key, as in nc-forecast' '
	jq -c "select(.item_id == \"010825\")" $R/forecast.ndjson >one &&
	{ cat one; jq -c ".site_id = null" one; jq -c ".site_id = \"null\"" one; } >in &&
	nc-reorder -k item_id,site_id -r rej in >out &&
	{ test ! -e rej || test ! -s rej; } &&
	jq -se "map(.site_id) == [\"BA-SSA-01\", null, \"null\"] and
		(map(.reorder_point) | unique | length == 1)" out
'

expect_success '-k item_id,site_id: a null site first, then sites; an absent site is still a reject' '
	jq -c "select(.item_id == \"030042\")" $R/forecast.ndjson >one
	{ jq -c ".site_id = null" one; cat one; jq -c "del(.site_id)" one | head -n 1; } >in
	st=0; nc-reorder -k item_id,site_id -r rej in >out 2>err || st=$?
	test $st = 3 && test $(wc -l <out) = 2 && jq -se ".[0].site_id == null" out &&
	jq -e ".reason == \"site_id: missing\"" rej
'

expect_success 'the latest origin wins when rows of several as_of come' '
	jq -c "select(.item_id == \"030042\")" $R/forecast.ndjson >cur &&
	{ sed -e "s/2026-11-26/2026-11-19/g" -e "s/\"forecasted_demand\":[0-9.]*/\"forecasted_demand\":99/" cur; cat cur; } | nc-reorder --delivery 0 >out &&
	jq -e ".as_of == \"2026-11-26\" and .lead_time_demand == 63" out
'

expect_code 2 'a service level out of range is a usage error' 'nc-reorder --service-level 100% </dev/null'
expect_code 2 'an ambiguous service level (1: 1% or 100%?) is a usage error' 'nc-reorder --service-level 1 </dev/null'
expect_code 2 'a bare 95 is ambiguous too' 'nc-reorder --service-level 95 </dev/null'
expect_success '--service-level 95% and 0.95 are the same level' '
	nc-reorder --service-level 95% $R/forecast.ndjson >a && nc-reorder --service-level 0.95 $R/forecast.ndjson >b &&
	cmp a b && jq -se "all(.service_level == 0.95)" a
'
expect_code 2 '--order-cost without --holding-rate is a usage error' 'nc-reorder --order-cost 5 </dev/null'
expect_code 2 'a bad --method is a usage error' 'nc-reorder --method magic </dev/null'
expect_code 2 'a bad --service-levels file is a usage error' '
	echo "{\"item_id\":\"A\",\"service_level\":\"high\"}" >bad && nc-reorder --service-levels bad </dev/null
'

# nc-records(5): stock_status is the series' own, else from current_stock:
# OUT_OF_STOCK <= 0 < LOW_STOCK <= 10 < OK.
expect_success 'stock_status from current_stock when the rows have none' '
	for st in 0 3 11; do
		printf "{\"item_id\":\"S%s\",\"date\":\"2026-01-05\",\"forecasted_demand\":1,\"forecast_sd\":0.5,\"lead_time_days\":5,\"current_stock\":%s}\n" $st $st
	done | nc-reorder >out &&
	test "$(jq -r .stock_status out | paste -sd " " -)" = "OUT_OF_STOCK LOW_STOCK OK" &&
	refute grep -q ro_stock_status out
'

done_testing
