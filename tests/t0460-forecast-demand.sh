#!/bin/sh
# nc-forecast and the truth of demand: series from the data's first day,
# parts marked new, one-off requests and lumps, unsettled last weeks,
# observed lead times, and the summary's figures with demand.
. "$(dirname "$0")/lib.sh"
F=$FIXTURES/forecast
NOW=--now=2026-11-27T05:00:00Z

# rec ID DATE QTY [LEAD]: an item-day record.
rec() {
	printf '{"item_id":"%s","date":"%s","quantity":%s,"lead_time_days":%s}\n' "$1" "$2" "$3" "${4:-null}"
}
# weekly ID QTY WEEKS...: QTY on the Monday of each week number (week 0 =
# 2025-01-06).
weekly() {
	id=$1 q=$2
	shift 2
	for w in "$@"; do
		rec "$id" "$(LC_ALL=C awk -v w="$w" 'BEGIN { print strftime("%Y-%m-%d", 1736121600 + w * 604800, 1) }')" "$q"
	done
}

# A: a demand of 5 every week for 40 weeks; B: one request of 1000 in
# week 30; C: first request in week 35.
{
	weekly A 5 $(seq 0 39)
	weekly B 1000 30
	weekly C 4 35 37 39
} >in

expect_success 'every series starts on the data'"'"'s first week, not its first request' '
	nc-forecast $NOW --period week -H 2 in >out &&
	jq -e -s "length == 6 and all(.history_start == \"2025-01-06\" and .history_periods == 40)" out
'

expect_success 'one request in 40 weeks: one_off, a rate of about 1000/40, not an interval up to 1000' '
	nc-forecast $NOW --period week -H 2 --level 80,95 --quantiles 0.5,0.95 in >out &&
	jq -e -s "map(select(.item_id == \"B\")) | length == 2 and all(.one_off and .demand_periods == 1 and
	    .one_off_demand == 1000 and .forecasted_demand > 5 and .forecasted_demand < 60 and
	    .ci_upper_95 < 100 and .q95 == 0 and .q50 == 0 and (.p_demand - 0.025 | fabs) < 0.02)" out
'

expect_success 'a regular series is not one-off; its size and chance of demand are said' '
	nc-forecast $NOW --period week -H 1 in >out &&
	jq -e -s ".[] | select(.item_id == \"A\") | (.one_off | not) and .lumps == 0 and .size_mean == 5 and
	    .p_demand > 0.9 and .demand_periods == 40" out
'

expect_success 'a late first request: zeros before it, unless the part is marked introduced' '
	nc-forecast $NOW --period week -H 1 in >out &&
	jq -e -s ".[] | select(.item_id == \"C\") | .history_start == \"2025-01-06\" and .history_periods == 40 and
	    .demand_periods == 3" out &&
	jq -c "if .item_id == \"C\" then .introduced = \"2025-09-08\" else . end" in >new &&
	nc-forecast $NOW --period week -H 1 new >out2 &&
	jq -e -s ".[] | select(.item_id == \"C\") | .history_start == \"2025-09-08\" and .history_periods == 5" out2 &&
	jq -e -s ".[] | select(.item_id == \"A\") | .history_periods == 40" out2
'

expect_success '--start DATE: the history window starts there' '
	nc-forecast $NOW --period week -H 1 --start 2025-06-02 in >out &&
	jq -e -s "all(.history_start == \"2025-06-02\" and .history_periods == 19)" out
'

expect_code 3 'an introduced date that is not a date is a reject' '
	{ cat in; printf "%s\n" "{\"item_id\":\"D\",\"date\":\"2025-01-06\",\"quantity\":1,\"introduced\":\"2025-02-30\"}"; } |
	nc-forecast $NOW --period week -H 1 -r rej >out' '
	jq -e ".reason == \"introduced: not a date\"" rej >/dev/null || exit 9
'

# L: sizes 4-6 every other week, and one of 600 (a project) in week 20.
{
	for w in $(seq 0 2 38); do
		if test "$w" = 20; then q=600; else q=$((4 + w % 3)); fi
		weekly L "$q" "$w"
	done
} >lump

expect_success 'a lump: fitted at the usual size, its excess kept as a rate over the history' '
	nc-forecast $NOW --period week -H 1 lump >out &&
	jq -e ".lumps == 1 and .one_off_demand == 595 and (.one_off | not) and
	    .forecasted_demand > 2 + 595 / 39 - 1 and .forecasted_demand < 2.6 + 595 / 39 + 1 and
	    (.model_type | test(\"1 lump: 595 units\"))" out
'

expect_success 'lognormal sizes (sigma 0.9) hold no lump: ten times the median is within their spread' '
	LC_ALL=C awk "function u() { x = (x * 16807) % 2147483647; return x / 2147483647 }
	BEGIN { x = 12345; for (t = 0; t < 104; t++) { a = u(); b = u(); c = u(); q = 0
		if (a < 0.85) q = int(10 * exp(0.9 * sqrt(-2 * log(b)) * cos(6.283185307 * c)) + 0.5)
		printf \"{\\\"item_id\\\":\\\"E\\\",\\\"date\\\":\\\"%s\\\",\\\"quantity\\\":%d}\\n\", strftime(\"%Y-%m-%d\", 1672617600 + t * 604800, 1), q } }" >erratic &&
	nc-forecast $NOW --period week -H 1 erratic >out &&
	jq -e ".lumps == 0" out
'

# S: 10 a week for 30 weeks, then the last 3 weeks of the export hold 1.
{
	weekly S 10 $(seq 0 29)
	weekly S 1 30 31 32
} >thin

expect_success 'without --settle, thin last weeks read as falling demand' '
	nc-forecast $NOW --period week -H 2 thin >out &&
	jq -e -s ".[0].forecasted_demand < 8 and all(.settling | not)" out
'

expect_success '--settle 21: the last 3 weeks are forecast, not read, and say what is recorded so far' '
	nc-forecast $NOW --period week -H 2 --settle 21 thin >out &&
	test $(wc -l <out) = 5 &&
	jq -e -s "map(.settling) == [true, true, true, false, false] and
	    map(.recorded_demand) == [1, 1, 1, null, null] and
	    all(.as_of == \"2025-08-24\" and .history_periods == 30 and
	        (.forecasted_demand - 10 | fabs) < 0.5)" out
'

expect_success 'lead times: the mean, sd and count of every request'"'"'s, not the last one'"'"'s' '
	{ rec T 2025-01-06 2 4; rec T 2025-02-03 2 6; rec T 2025-03-03 2 47; rec T 2025-03-10 0 99; } |
	nc-forecast $NOW --period week -H 1 >out &&
	jq -e ".lead_time_days == 19 and .lead_time_obs == 3 and (.lead_time_std - 24.2693 | fabs) < 1e-3" out
'

expect_success 'summary: bias_ratio and MAPE as the backtest rows give them' '
	nc-forecast $NOW --period week -H 4 --backtest 6 --level 80,95 --summary in lump >out &&
	tail -n 1 out >sum &&
	jq -s "map(select(.actual_demand != null)) | {f: (map(.forecasted_demand) | add), a: (map(.actual_demand) | add),
	    m: (map(select(.actual_demand > 0) | .absolute_error / .actual_demand) | add / length * 100),
	    c: (map(select(.actual_demand > 0) | select(.actual_demand <= .ci_upper_95 and .actual_demand >= .ci_lower_95)) | length),
	    n: (map(select(.actual_demand > 0)) | length)}" out >want &&
	jq -e -n --slurpfile s sum --slurpfile w want "\$s[0] as \$s | \$w[0] as \$w |
	    (\$s.bias_ratio - \$w.f / \$w.a | fabs) < 1e-9 and (\$s.mape - \$w.m | fabs) < 1e-6 and
	    \$s.demand_forecasts == \$w.n and (\$s.coverage_95_demand - \$w.c / \$w.n | fabs) < 1e-9 and
	    \$s.ltd_origins > 0 and \$s.ltd_coverage_95 >= \$s.ltd_coverage_80"
'

expect_success 'the sample, item x site: backtest total within 0.85-1.15 of the actual (12.5 from each first request)' '
	nc-forecast $NOW -k item_id,site_id --period week -H 5 --as-of 2025-10-21 --backtest 13 --summary \
	    $F/requisicoes-daily.ndjson | tail -n 1 >sum &&
	jq -e ".bias_ratio > 0.85 and .bias_ratio < 1.15" sum
'

expect_success 'a record dated 0001-01-01: the window is bounded by --max-periods, with a warning' '
	{ cat in; rec A 0001-01-06 1; } >far &&
	nc-forecast $NOW --period week -H 1 far >out 2>err &&
	grep -q "over --max-periods 5000 weeks" err &&
	jq -e -s "length == 3 and all(.history_periods == 5000)" out &&
	nc-forecast $NOW --period week -H 1 --max-periods 60 far >out 2>err &&
	jq -e -s "all(.history_periods == 60 and .history_start == \"2024-08-12\")" out
'

for v in x 2025-13-01 ''; do
	expect_code 2 "--start '$v' is a usage error" "nc-forecast --start '$v' </dev/null"
done
for v in -1 x 9999; do
	expect_code 2 "--settle '$v' is a usage error" "nc-forecast --settle '$v' </dev/null"
done

done_testing
