#!/bin/sh
# nc-reorder: broken uncertainty (non-finite or absurd forecast_sd,
# quantiles, bounds) is a reject with its reason, never an order.
. "$(dirname "$0")/lib.sh"
R=$FIXTURES/reorder

# one ITEM: the fixture's rows of ITEM.
one() { jq -c "select(.item_id == \"$1\")" $R/forecast.ndjson; }

expect_code 3 'forecast_sd 2.09e30 on one row: the series is rejected, the others come out' '
	one 010825 | jq -c "if .horizon == 20 then .forecast_sd = 2.09e30 else . end" >in &&
	one 030042 >>in &&
	nc-reorder -r rej in >out 2>err' '
	test $(wc -l <out) = 1 && jq -e ".item_id == \"030042\"" out &&
	test $(wc -l <rej) = 1 &&
	jq -e "._reject.item_id == \"010825\" and (.reason | startswith(\"forecast_sd 2.09e+30 (2026-12-16) is over 1000 x the series\"))" rej
'

expect_success 'the bound: sd up to 1000 x max(1, largest forecast) passes, above it is a reject' '
	# 030042: weekly forecasts of 21, so the bound is 21000.
	one 030042 | jq -c "if .horizon == 2 then .forecast_sd = 21000 else . end" >ok
	nc-reorder ok >out
	jq -e ".safety_stock > 30000" out
	one 030042 | jq -c "if .horizon == 2 then .forecast_sd = 21000.5 else . end" >bad
	st=0; nc-reorder -r rej bad >out 2>err || st=$?
	test $st = 3 && test ! -s out && grep -q "over 1000 x the series. scale 21 " rej
'

expect_success 'a series forecasting 0 keeps a scale of 1: sd 1000 passes, 1001 does not' '
	one 030042 | jq -c ".forecasted_demand = 0 | .forecast_sd = 1000" >z
	nc-reorder z >out
	jq -e ".lead_time_demand == 0 and .safety_stock > 0" out
	one 030042 | jq -c ".forecasted_demand = 0 | .forecast_sd = 1001" >z
	st=0; nc-reorder -r rej z >out 2>err || st=$?
	test $st = 3 && grep -q "scale 1 " rej
'

# 1e999 is past a double's range: jansson, and lib/flat.c's scanner with it,
# refuse the line as invalid JSON, a row reject like the others.
expect_code 3 'a forecast_sd that is not a finite number >= 0 is a row reject, not a fallback' '
	one 030042 >in &&
	{ head -n 1 in | sed "s/\"forecast_sd\":[0-9.e+]*/\"forecast_sd\":1e999/"
	  head -n 2 in | tail -n 1 | sed "s/\"forecast_sd\":[0-9.e+]*/\"forecast_sd\":-2/"
	  head -n 3 in | tail -n 1 | sed "s/\"forecast_sd\":[0-9.e+]*/\"forecast_sd\":\"big\"/"
	  tail -n +4 in; } >bad &&
	nc-reorder -r rej bad >out 2>err' '
	jq -r ".reason" rej | sed "s/ near .*//" >got
	printf "%s\n" "invalid JSON: real number overflow" \
		"forecast_sd: not a finite number >= 0" "forecast_sd: not a finite number >= 0" >want
	cmp_files want got
'

expect_code 3 'without forecast_sd, a quantile or ci_upper that is not finite is a row reject' '
	one 020311 >in &&
	{ head -n 1 in | sed "s/\"q95\":[0-9.e+]*/\"q95\":1e999/"
	  head -n 2 in | tail -n 1 | jq -c "del(.q90, .q95)" |
		sed "s/\"ci_upper\":[0-9.e+]*/\"ci_upper\":1e999/"; } >bad &&
	nc-reorder -r rej bad >out 2>err' '
	jq -r ".reason" rej | sed "s/ near .*//" >got
	printf "%s\n" "invalid JSON: real number overflow" "invalid JSON: real number overflow" >want
	cmp_files want got
'

expect_success 'a q95 far out of scale is caught through the sd it implies' '
	one 020311 | jq -c "if .horizon == 3 then .q95 = 1e12 else . end" >bad
	st=0; nc-reorder -r rej bad >out 2>err || st=$?
	test $st = 3 && test ! -s out && grep -q "forecast_sd 6.0795" rej
'

expect_success 'a forecast far above the actuals is not judged (a window without demand after a spike)' '
	jq -c "select(.item_id == \"020311\")" $R/backtest.ndjson >bt &&
	jq -c ".actual_demand = 0 | .forecasted_demand = 1900 | .forecast_sd = 2000" bt >quiet &&
	nc-reorder --simulate 30 quiet >out && jq -se ".[0].demand == 0 and .[0].orders == 0" out
'

expect_success 'the lumpiest series of the sample (sd 450 x forecast) is not caught' '
	one 030042 | jq -c ".forecasted_demand = 1 | .forecast_sd = 450" >lumpy &&
	nc-reorder lumpy >out && jq -e ".recommended_order_qty > 0" out
'

done_testing
