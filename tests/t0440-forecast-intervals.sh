#!/bin/sh
# nc-forecast intervals and quantiles on the company's requisitions, item x
# site: bounded by the series' own history, holding the point forecast,
# quantiles in order.
. "$(dirname "$0")/lib.sh"
F=$FIXTURES/forecast
NOW=--now=2026-11-27T05:00:00Z
D=$F/requisicoes-daily.ndjson

# Largest daily demand of each series: "item|site\tmax".
daily_max() {
	jq -r '[.item_id, .site_id, .date, .quantity] | @tsv' "$D" |
	LC_ALL=C awk -F '\t' '{ s[$1 "|" $2 "|" $3] += $4 }
	END { for (k in s) { split(k, p, "|"); id = p[1] "|" p[2]; if (s[k] > m[id]) m[id] = s[k] }
	for (id in m) print id "\t" m[id] }'
}

expect_success 'daily period: 010865/ALMOX-BA (three demands of 1) gets a small sd, not 2e30' '
	nc-forecast $NOW -k item_id,site_id --period day -H 30 --as-of 2025-10-21 "$D" >out &&
	jq -e -s "map(select(.item_id == \"010865\" and .site_id == \"ALMOX-BA\")) |
	    length == 30 and all(.forecast_sd <= 1 and .ci_upper <= 1 and .forecasted_demand <= 1)" out
'

expect_success 'daily period: no sd, bound or quantile above 20 times the series largest day' '
	nc-forecast $NOW -k item_id,site_id --period day -H 30 --as-of 2025-10-21 --level 80,95 \
	    --quantiles 0.5,0.9,0.99 "$D" >out &&
	daily_max >max &&
	jq -r "[.item_id + \"|\" + .site_id, ([.forecast_sd, .ci_upper_80, .ci_upper_95, .q99, .forecasted_demand] | max)] | @tsv" out >top &&
	LC_ALL=C awk -F "\t" "NR == FNR { m[\$1] = \$2; next } !(\$1 in m) || \$2 > 20 * m[\$1] { print; bad++ } END { exit bad > 0 }" max top &&
	test $(wc -l <top) -gt 50000
'

expect_success 'weekly period: every interval holds the point forecast, quantiles in order' '
	nc-forecast $NOW -k item_id,site_id --period week -H 5 --as-of 2025-10-21 --level 80,95 \
	    --quantiles 0.5,0.9,0.95 "$D" >out &&
	test $(wc -l <out) -gt 10000 &&
	jq -e -s "all(.ci_lower_95 <= .ci_lower_80 and .ci_lower_80 <= .forecasted_demand and
	    .forecasted_demand <= .ci_upper_80 and .ci_upper_80 <= .ci_upper_95 and
	    .q50 <= .q90 and .q90 <= .q95 and .ci_lower_95 >= 0)" out
'

expect_success '012028/SPCRL005 (one demand of 10000 in the weeks): the upper bound is a demand, not 0' '
	nc-forecast $NOW -k item_id,site_id --period week -H 5 --as-of 2025-10-21 "$D" >out &&
	jq -e -s "map(select(.item_id == \"012028\" and .site_id == \"SPCRL005\")) |
	    length == 5 and all(.forecasted_demand > 0 and .ci_upper_95 >= .forecasted_demand and .ci_lower_95 == 0)" out
'

expect_success 'intermittent series: the compound interval covers at least its level in a backtest' '
	nc-forecast $NOW -k item_id,site_id --period week -H 4 --backtest 12 --summary --level 80,95 "$D" |
	    tail -n 1 >sum &&
	jq -e ".coverage_95 >= 0.92 and .coverage_80 >= 0.78" sum
'

# A demand of 4 on 20 of 60 days from 2025-01-01, no pattern to them: a
# demand with probability about 1/3, so that the compound 95% interval is
# [0, 4] (no demand has probability over 5%), where ets's and arima's own
# normal intervals reach 5.2 and 5.1.
sporadic() {
	LC_ALL=C awk -v pat="x..x.x...xx..x....x.x..x..x...x.xx...x..x.x....x..x.xx..x..." 'BEGIN {
		for (i = 0; i < length(pat); i++)
			printf "{\"item_id\":\"I\",\"date\":\"%s\",\"quantity\":%d}\n",
			    strftime("%Y-%m-%d", 1735689600 + i * 86400, 1), substr(pat, i + 1, 1) == "x" ? 4 : 0 }'
}

expect_success 'intermittent series: ets and arima forecasts get the compound interval' '
	sporadic >in && test $(wc -l <in) = 60 &&
	for m in ets arima; do
		nc-forecast $NOW --model $m -H 3 --level 80,95 in >out &&
		jq -e -s "length == 3 and all(.demand_class == \"intermittent\" and .ci_lower_95 == 0 and
		    .ci_upper_95 == 4 and .forecasted_demand > 0.5)" out || exit 1
	done
'

expect_success 'intermittent series: prophet keeps its own interval (Student t, past 4)' '
	sporadic >in &&
	nc-forecast $NOW --model prophet -H 3 --level 80,95 in >out &&
	jq -e -s "length == 3 and all(.ci_upper_95 > 4.5 and .forecast_sd > 1)" out
'

# Short series (fewer than 8 periods): the mean's interval has the spread
# of the history, at least Poisson's (variance = mean), and a lower bound
# of 0.  Three days of 1: mean 1, variance floored at 1, sd sqrt(1 + 1/3),
# 95% upper 1 + 1.96 x 1.1547 = 3.263.
expect_success 'short series of equal demands: an interval of some width, from 0' '
	for d in 01 02 03; do echo "{\"item_id\":\"S\",\"date\":\"2025-01-$d\",\"quantity\":1}"; done >in &&
	nc-forecast $NOW -H 2 --quantiles 0.1,0.9 in >out &&
	jq -e -s "length == 2 and all(.demand_class == \"short\" and .forecasted_demand == 1 and
	    (.forecast_sd - 1.1547 | fabs) < 1e-4 and .ci_lower_95 == 0 and
	    (.ci_upper_95 - 3.2632 | fabs) < 1e-3 and .q10 == 0 and .q90 > 2)" out
'

expect_success 'short series of one period: not the zero-width interval [33, 33]' '
	echo "{\"item_id\":\"S\",\"date\":\"2025-01-01\",\"quantity\":33}" >in &&
	nc-forecast $NOW -H 1 in >out &&
	jq -e ".forecasted_demand == 33 and .ci_lower_95 == 0 and .ci_upper_95 > 48" out
'

# The sample by supplier and month: a year of history, so that the early
# origins of an 8-month backtest see short series.  Their 95% intervals
# covered 73% of the actuals with the sample sd and normal quantiles (and
# none of 368 zero-width ones); now they cover at least 92%.
expect_success 'short series in a backtest (supplier x month): 95% intervals cover 92% or more' '
	jq -c -s "sort_by(.supplier_id, .date)[]" $F/silver-sample.ndjson >in &&
	nc-forecast $NOW -k supplier_id --period month -H 8 --backtest 8 in >out &&
	jq -s "map(select(.demand_class == \"short\"))" out >short &&
	jq -e "length > 1000 and (map(select(.actual_demand >= .ci_lower_95 and
	    .actual_demand <= .ci_upper_95)) | length) / length >= 0.92" short
'

done_testing
