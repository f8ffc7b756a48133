#!/bin/sh
# nc-forecast: the cases every filter must get right, and the record.
. "$(dirname "$0")/lib.sh"
F=$FIXTURES/forecast
NOW=--now=2026-11-27T05:00:00Z
rec() { printf '{"item_id":"%s","date":"%s","quantity":%s}\n' "$1" "$2" "$3"; }

expect_success 'empty input: no output, exit 0' '
	nc-forecast $NOW </dev/null >out 2>err && test ! -s out && test ! -s err
'

expect_success 'one row per series and horizon, fields in the agreed order' '
	{ rec A 2025-01-01 3; rec A 2025-01-02 0; rec A 2025-01-05 2; } |
	nc-forecast $NOW -H 4 >out &&
	test $(wc -l <out) = 4 &&
	jq -r "keys_unsorted | join(\",\")" out | sort -u >keys &&
	echo "forecast_id,item_id,date,horizon,period,forecasted_demand,forecast_sd,ci_lower,ci_upper,ci_level,ci_lower_95,ci_upper_95,model_type,demand_class,history_start,history_periods,demand_periods,p_demand,size_mean,size_sd,size_cv,one_off,lumps,one_off_demand,settling,as_of,created_at,lead_time_obs" >want &&
	cmp_files want keys &&
	jq -e -s "map(.horizon) == [1,2,3,4] and .[0].date == \"2025-01-06\" and .[3].date == \"2025-01-09\" and .[0].as_of == \"2025-01-05\" and .[0].forecast_id == \"A|2025-01-05|1\" and .[0].period == \"day\" and .[0].created_at == \"2026-11-27T05:00:00Z\"" out
'

expect_success 'gaps in the dates are zero demand (naive on a gap forecasts 0)' '
	{ rec A 2025-01-01 5; rec A 2025-01-10 7; rec B 2025-01-01 1; rec B 2025-01-20 1; } |
	nc-forecast $NOW --model naive -H 1 >out &&
	jq -e -s ".[0].forecasted_demand == 0 and .[0].as_of == \"2025-01-20\" and .[1].forecasted_demand == 1" out
'

expect_success 'several rows of one day are summed' '
	{ rec A 2025-01-01 5; rec A 2025-01-02 2; rec A 2025-01-02 3; } |
	nc-forecast $NOW --model naive -H 1 >out && jq -e ".forecasted_demand == 5" out
'

expect_success 'all zeros forecasts zero, class zero' '
	{ rec Z 2025-01-01 0; rec Z 2025-01-02 0; rec Z 2025-01-09 0; } |
	nc-forecast $NOW -H 2 >out &&
	jq -e -s "all(.forecasted_demand == 0 and .ci_upper == 0 and .demand_class == \"zero\" and .model_type == \"zero\")" out
'

expect_success 'a series too short for the model falls back and says so' '
	rec S 2025-01-01 4 | nc-forecast $NOW --model regression -H 1 >out &&
	jq -e "(.model_type | test(\"fallback: regression: too short\")) and .demand_class == \"short\" and .forecasted_demand == 4" out
'

expect_success 'period inferred: weekly and monthly rows' '
	for d in 2025-01-06 2025-01-13 2025-01-20 2025-01-27; do rec W $d 2; done |
	nc-forecast $NOW -H 2 >out &&
	jq -e -s "all(.period == \"week\") and .[0].date == \"2025-02-03\" and .[0].as_of == \"2025-02-02\"" out &&
	for d in 2025-01-01 2025-02-01 2025-03-01; do rec M $d 2; done |
	nc-forecast $NOW -H 1 >out &&
	jq -e ".period == \"month\" and .date == \"2025-04-01\" and .as_of == \"2025-03-31\"" out
'

expect_success '--period week sums days into ISO weeks; a partial last week is left out' '
	{ rec A 2025-01-06 1; rec A 2025-01-12 2; rec A 2025-01-13 4; rec A 2025-01-15 9; } |
	nc-forecast $NOW --period week --model naive -H 1 >out &&
	jq -e ".forecasted_demand == 3 and .as_of == \"2025-01-12\" and .date == \"2025-01-13\"" out
'

expect_success 'every series ends at the latest date of the input (--as-of moves it)' '
	{ rec A 2025-01-01 5; rec B 2025-01-01 1; rec B 2025-01-31 1; } |
	nc-forecast $NOW --model naive -H 1 >out &&
	jq -e -s ".[0].as_of == \"2025-01-31\" and .[0].forecasted_demand == 0" out &&
	{ rec A 2025-01-01 5; rec A 2025-01-03 6; } |
	nc-forecast $NOW --model naive --as-of 2025-01-01 -H 1 >out &&
	jq -e ".as_of == \"2025-01-01\" and .forecasted_demand == 5" out
'

expect_success '-k item_id,site_id: keys in the id and the record; attributes of the last row' '
	nc-forecast $NOW -k item_id,site_id -H 1 $F/silver-sample.ndjson >out &&
	jq -e -s "length == (map(.item_id + .site_id) | unique | length)" out &&
	jq -e -s "all(.forecast_id == \"\(.item_id)|\(.site_id // \"\")|\(.as_of)|1\")" out &&
	head -1 out | jq -e "has(\"current_stock\") and has(\"lead_time_days\") and has(\"item_name\") and has(\"family\")" &&
	test $(head -1 out | jq -r "keys_unsorted | map(select(. == \"site_id\")) | length") = 1
'

expect_success '--level and --quantiles name their fields; bounds nest and are >= 0' '
	nc-forecast $NOW --period week -H 4 --level 80,97.5 --quantiles 0.5,0.9,0.975 $F/silver-sample.ndjson >out &&
	jq -e -s "all(has(\"ci_lower_97_5\") and has(\"q97_5\") and has(\"q50\") and .ci_level == 97.5 and .ci_upper == .ci_upper_97_5)" out &&
	jq -e -s "all(.forecasted_demand >= 0 and .ci_lower_97_5 >= 0 and .ci_lower_97_5 <= .ci_lower_80 and .ci_upper_80 <= .ci_upper_97_5 and .q50 <= .q90 and .q90 <= .q97_5 and .forecast_sd >= 0)" out
'

expect_success 'the real sample, item x week: classes are mostly intermittent or lumpy' '
	nc-forecast $NOW --period week -H 8 $F/silver-sample.ndjson >out &&
	test $(jq -r .item_id out | sort -u | wc -l) = 49 &&
	jq -r .demand_class out | sort -u >classes && grep -q lumpy classes &&
	! jq -e "select(.forecasted_demand | isnan or . < 0)" out >/dev/null
'

expect_success '-j 1 and -j 3 write the same output' '
	nc-forecast $NOW -j 1 --period week -H 3 $F/silver-sample.ndjson >a &&
	nc-forecast $NOW -j 3 --period week -H 3 $F/silver-sample.ndjson >b && cmp_files a b
'

expect_success '-x: exogenous fields, future values from rows whose target is null' '
	LC_ALL=C awk "BEGIN { for (i = 0; i < 60; i++) { d = sprintf(\"2025-%02d-%02d\", 1 + int(i / 28), 1 + i % 28); r = i % 2; printf \"{\\\"item_id\\\":\\\"A\\\",\\\"date\\\":\\\"%s\\\",\\\"quantity\\\":%s,\\\"rain\\\":%d}\\n\", d, i < 56 ? 10 + 20 * r : \"null\", r } }" >x.ndjson &&
	nc-forecast $NOW --period day --model regression -x rain -H 2 --as-of 2025-02-28 x.ndjson >out &&
	jq -e -s "(.[0].model_type | test(\"x\")) and .[1].forecasted_demand > .[0].forecasted_demand + 10" out
'

# 48 months of 50 + 20 sin(2 pi t / 12) plus normal noise of sd 4 (Park-
# Miller uniforms, Box-Muller).  With one ridge penalty on every column the
# next year's forecasts missed the true curve by 4.4 (root mean square);
# with the Fourier terms' own penalty, by 3.0.
expect_success 'regression: the seasonal terms have their own penalty (a yearly sine recovered)' '
	LC_ALL=C awk "function u() { x = (x * 16807) % 2147483647; return x / 2147483647 }
	BEGIN { x = 4242; for (t = 0; t < 48; t++) { y = 50 + 20 * sin(2 * 3.14159265 * t / 12)
		e = 4 * sqrt(-2 * log(u())) * cos(6.283185307 * u())
		printf \"{\\\"item_id\\\":\\\"S\\\",\\\"date\\\":\\\"%d-%02d-01\\\",\\\"quantity\\\":%d}\\n\",
		    2021 + int(t / 12), t % 12 + 1, int(y + e + 0.5) } }" >s.ndjson &&
	test $(wc -l <s.ndjson) = 48 &&
	nc-forecast $NOW --model regression -H 12 s.ndjson | jq -r .forecasted_demand |
	LC_ALL=C awk "{ t = 47 + NR; d = \$1 - 50 - 20 * sin(2 * 3.14159265 * t / 12); s += d * d }
	    END { print sqrt(s / NR); exit !(NR == 12 && sqrt(s / NR) < 3.5) }"
'

expect_code 3 'malformed lines are rejects, not crashes' '
	{ printf "%s\n" "{" "[1]" "{\"item_id\":\"A\"}" "{\"item_id\":\"A\",\"date\":\"x\",\"quantity\":1}" \
	    "{\"item_id\":\"A\",\"date\":\"2025-01-01\",\"quantity\":-1}" "{\"item_id\":\"A\",\"date\":\"2025-01-01\",\"quantity\":\"lots\"}"; rec A 2025-01-01 1; } |
	nc-forecast $NOW -H 1 -r rej >out 2>/dev/null' '
	test $(wc -l <out) = 1 && test $(wc -l <rej) = 6 && grep -q negative rej
'

expect_success '-m allows rejects' '
	{ echo oops; rec A 2025-01-01 1; } | nc-forecast $NOW -m 1 -r /dev/null -H 1 >out && test $(wc -l <out) = 1
'

expect_success '| head -n1 ends quietly' '
	head_is_quiet nc-forecast $NOW -H 30 $F/silver-sample.ndjson
'

expect_success 'a full disk is an error, not success' '
	full_disk_fails nc-forecast $NOW -H 3 $F/silver-sample.ndjson
'

expect_code 2 'a bad flag is a usage error' 'nc-forecast --bogus </dev/null 2>err' '
	grep -q "^usage: nc-forecast" err
'
expect_code 2 'an unknown model is a usage error' 'nc-forecast --model lstm </dev/null'
expect_code 2 'a bad level is a usage error' 'nc-forecast --level 100 </dev/null'
expect_code 2 'a bad quantile is a usage error' 'nc-forecast --quantiles 1.5 </dev/null'
expect_code 2 'a bad period is a usage error' 'nc-forecast --period year </dev/null'
expect_code 2 '--summary without --backtest is a usage error' 'nc-forecast --summary </dev/null'
expect_code 2 'a bad -H is a usage error' 'nc-forecast -H 0 </dev/null'
expect_code 2 'a bad --weights is a usage error' 'nc-forecast --weights xgboost=1 </dev/null'

expect_success '-h prints the usage on stdout; -V the version' '
	nc-forecast -h >out && grep -q "^usage: nc-forecast" out &&
	nc-forecast -V >out && grep -q "^nc-forecast (nc) [0-9]" out
'

expect_success 'output does not depend on the locale' '
	LC_ALL=pt_BR.UTF-8 nc-forecast $NOW --period week -H 2 $F/silver-sample.ndjson >a &&
	LC_ALL=C nc-forecast $NOW --period week -H 2 $F/silver-sample.ndjson >b && cmp_files a b
'

done_testing
