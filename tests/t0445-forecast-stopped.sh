#!/bin/sh
# nc-forecast: demand that stopped (class "stopped", forecast zero), on
# series built by hand and on the company's sample.
. "$(dirname "$0")/lib.sh"
F=$FIXTURES/forecast
NOW=--now=2026-11-27T05:00:00Z

# weekly ID PATTERN: one row per character of PATTERN, weeks from Monday
# 2025-01-06; "x" a demand of 4, "." no demand (a row of 0, so that the
# series runs to its last week).
weekly() {
	printf '%s\n' "$2" | LC_ALL=C awk -v id="$1" '{
		for (i = 1; i <= length($0); i++) {
			t = 1736121600 + (i - 1) * 7 * 86400
			printf "{\"item_id\":\"%s\",\"date\":\"%s\",\"quantity\":%d}\n", id,
			    strftime("%Y-%m-%d", t, 1), substr($0, i, 1) == "x" ? 4 : 0
		}
	}'
}
# 30 weeks with a demand every other week, then g without, and no earlier
# gap longer than 1 week.  The chance that none of the 15 demands of the
# 30 + g weeks falls in the last g is C(30, 15) / C(30 + g, 15): 0.516,
# 0.274, 0.150, 0.084, 0.048, 0.028, 0.0166, 0.01003, 0.0062 for g = 1 .. 9,
# 0.0016 for g = 12.
ALT=.x.x.x.x.x.x.x.x.x.x.x.x.x.x.x
STOPPED=$ALT............

expect_success 'a run of 12 weeks without demand after 15 in 30 is stopped, forecast 0' '
	weekly A "$STOPPED" | nc-forecast $NOW -H 3 --level 80,95 --quantiles 0.9 >out &&
	test $(wc -l <out) = 3 &&
	jq -e -s "all(.demand_class == \"stopped\" and .forecasted_demand == 0 and
	    .ci_upper_95 == 0 and .q90 == 0 and .period == \"week\")" out &&
	jq -r .model_type out | sort -u >got &&
	echo "zero (stopped: no demand in the last 12 weeks, against 15 in the 30 before; chance 0.0016)" >want &&
	cmp_files want got
'

expect_success '--stopped 0 turns the test off: the class and its forecast' '
	weekly A "$STOPPED" | nc-forecast $NOW -H 1 --stopped 0 >out &&
	jq -e ".demand_class == \"intermittent\" and .forecasted_demand > 0" out
'

expect_success 'a named model is not overridden, nor is the class changed' '
	weekly A "$STOPPED" | nc-forecast $NOW -H 1 --model sba >out &&
	jq -e ".demand_class == \"intermittent\" and .forecasted_demand > 0 and (.model_type | startswith(\"SBA\"))" out
'

expect_success 'a run no longer than an earlier gap is not a stop' '
	weekly B "xxxx............xxxxxxxxxx............" | nc-forecast $NOW -H 1 >out &&
	jq -e ".demand_class == \"intermittent\"" out
'

# 5 weeks: 0.048, between 0.01 and 0.05.
expect_success 'the level decides: a 5-week run is stopped at 0.05, not at 0.01' '
	weekly C "$ALT....." >in &&
	nc-forecast $NOW -H 1 in >out &&
	jq -e ".demand_class == \"intermittent\"" out &&
	nc-forecast $NOW -H 1 --stopped 0.05 in >out &&
	jq -e ".demand_class == \"stopped\" and .forecasted_demand == 0" out
'

# Origins after weeks 30 .. 41: the run is then 0 .. 11 weeks, and its
# chance below 0.01 from g = 9 on.
expect_success 'backtest: each origin tests the history before it' '
	weekly A "$STOPPED" | nc-forecast $NOW -H 1 --backtest 12 >out &&
	test $(wc -l <out) = 12 &&
	jq -r "[.as_of, .demand_class] | @tsv" out >got &&
	LC_ALL=C awk -F "\t" "{ g = NR - 1 } (g >= 9) != (\$2 == \"stopped\") { bad++; print } END { exit bad > 0 }" got
'

# The sample's parts marked as introduced at their first request (the
# "introduced" attribute): their history starts there, as if new.
jq -sc 'group_by(.item_id) | map((map(.date) | min) as $d | map(.introduced = $d)) |
	flatten | .[]' $F/silver-sample.ndjson >introduced.ndjson

expect_success 'the sample, parts marked new: 11 items stopped 8 weeks before its end, none requested since' '
	nc-forecast $NOW --period week -H 8 --backtest 8 introduced.ndjson >out &&
	jq -r "select(.as_of == \"2025-08-10\" and .demand_class == \"stopped\") | [.item_id, .actual_demand] | @tsv" out >got &&
	test $(cut -f 1 got | sort -u | wc -l) = 11 &&
	LC_ALL=C awk -F "\t" "\$2 != 0 { bad++ } END { exit bad > 0 }" got
'

# From the data'"'"'s first day, the weeks before a first request are zeros:
# a part requested a few times late in the window has not stopped.
expect_success 'the sample from its first day: no item stopped at that origin' '
	nc-forecast $NOW --period week -H 8 --backtest 8 $F/silver-sample.ndjson >out &&
	jq -r "select(.as_of == \"2025-08-10\") | .item_id" out | sort -u >all &&
	test $(wc -l <all) = 49 &&
	test $(jq -r "select(.as_of == \"2025-08-10\" and .demand_class == \"stopped\") | .item_id" out | wc -l) = 0
'

expect_success 'the sample, parts marked new: the test lowers the backtest RMSSE (0.610 against 0.641)' '
	nc-forecast $NOW --period week -H 8 --backtest 8 --summary introduced.ndjson | tail -n 1 >on &&
	nc-forecast $NOW --period week -H 8 --backtest 8 --summary --stopped 0 introduced.ndjson | tail -n 1 >off &&
	jq -e ".summary == \"overall\" and .rmsse < 0.62" on &&
	jq -e ".rmsse > 0.635" off
'

expect_success '--stopped with --model or --weights is a usage error' '
	{ nc-forecast --stopped 0.05 --model sba </dev/null 2>err; test $? = 2; } &&
	grep -q "automatic mode" err &&
	{ nc-forecast --stopped 0 --weights sba=1 </dev/null 2>err; test $? = 2; } &&
	grep -q "automatic mode" err &&
	nc-forecast --stopped 0.05 --model auto </dev/null
'

for v in 1 -0.1 x 0.5x ''; do
	expect_success "--stopped '$v' is a usage error" "
		{ nc-forecast --stopped '$v' </dev/null 2>err; test \$? = 2; } &&
		grep -q -- --stopped err
	"
done

done_testing
