#!/bin/sh
# nc-forecast --backtest and --summary, checked on a case computed by hand.
. "$(dirname "$0")/lib.sh"
NOW=--now=2026-11-27T05:00:00Z

# Series 2, 4, 0, 6, 3, 5 (days 2025-01-01 .. 06), naive, --backtest 2 -H 2:
# origin 4 (as of 01-04, last 6): h1 target 3 -> e = 3; h2 target 5 -> e = 1.
# origin 5 (as of 01-05, last 3): h1 target 5 -> e = -2.
# Scale from the 4 periods before the first origin (2, 4, 0, 6):
# mean |diff| = (2 + 4 + 6) / 3 = 4; mean diff^2 = (4 + 16 + 36) / 3 = 56/3.
# MAE = 2, RMSE = sqrt(14/3), MASE = 0.5, RMSSE = sqrt((14/3) / (56/3)) = 0.5,
# WAPE = 6 / 13, bias = 2/3; mape = 100, 20, 40.
series() {
	for p in 01:2 02:4 03:0 04:6 05:3 06:5; do
		printf '{"item_id":"H","date":"2025-01-%s","quantity":%s}\n' "${p%:*}" "${p#*:}"
	done
}

expect_success 'backtest rows: origins, targets, errors, mape as the seed computes it' '
	series | nc-forecast $NOW --model naive --backtest 2 -H 2 >out &&
	test $(wc -l <out) = 3 &&
	jq -c "[.as_of, .date, .horizon, .forecasted_demand, .actual_demand, .forecast_error, .absolute_error, .mape]" out >got &&
	printf "%s\n" "[\"2025-01-04\",\"2025-01-05\",1,6,3,3,3,100]" \
	    "[\"2025-01-04\",\"2025-01-06\",2,6,5,1,1,20]" \
	    "[\"2025-01-05\",\"2025-01-06\",1,3,5,-2,2,40]" >want &&
	cmp_files want got
'

expect_success '--summary: one record per series and one overall, by hand' '
	series | nc-forecast $NOW --model naive --backtest 2 -H 2 --summary >out &&
	test $(wc -l <out) = 5 &&
	sed -n 4p out | jq -e ".summary == \"series\" and .item_id == \"H\" and .forecasts == 3" &&
	tail -1 out | jq -e ".summary == \"overall\" and .series == 1 and .forecasts == 3 and .mae == 2 and (.rmse - (14/3 | sqrt) | fabs) < 1e-12 and .mase == 0.5 and (.rmsse - 0.5 | fabs) < 1e-12 and (.wape - 6/13 | fabs) < 1e-12 and (.bias - 2/3 | fabs) < 1e-12 and .mase_median == 0.5"
'

expect_success 'mape is null when the actual is zero' '
	{ series; printf "{\"item_id\":\"H\",\"date\":\"2025-01-07\",\"quantity\":0}\n"; } |
	nc-forecast $NOW --model naive --backtest 1 -H 1 >out &&
	jq -e ".actual_demand == 0 and .mape == null and .absolute_error == 5" out
'

expect_success 'coverage and pinball in the summary; the sample: 95% covers 92-98%' '
	nc-forecast $NOW --period week -H 8 --backtest 8 --summary --level 80,95 --quantiles 0.5,0.9 $FIXTURES/forecast/silver-sample.ndjson >out &&
	tail -1 out | jq -e "has(\"coverage_80\") and has(\"pinball_q90\") and .scaled_pinball > 0 and .coverage_95 >= 0.92 and .coverage_95 <= 0.98 and .forecasts == 49 * 36"
'

expect_success 'a series shorter than the backtest still gives what it can' '
	printf "{\"item_id\":\"S\",\"date\":\"2025-01-01\",\"quantity\":1}\n{\"item_id\":\"S\",\"date\":\"2025-01-02\",\"quantity\":2}\n" |
	nc-forecast $NOW --backtest 5 -H 3 --summary >out &&
	jq -e -s ".[0].actual_demand == 2 and .[0].forecasted_demand == 1 and .[2].summary == \"overall\" and .[2].scaled_series == 0 and .[2].mase == null" out
'

done_testing
