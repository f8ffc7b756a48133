#!/bin/sh
# nc-reorder --simulate: the replay of the policy on backtest rows, checked
# against a case computed by hand.
. "$(dirname "$0")/lib.sh"
R=$FIXTURES/reorder
HAND="--review 0 --delivery 0 --order-cost 0.01 --holding-rate 0.73"

# The hand case (backtest-hand.ndjson): forecast 1/day with sd 0, LT 2,
# continuous review (--review 0, reviewed every day): PP = 2; an EOQ of 1
# (order cost 0.01, holding 0.73, cost 10: sqrt(2 x 365 x 0.01 / 7.3) = 1)
# makes S = PP + 1 = 3.  Actual demand 4..9 January:
# 3 1 0 2 1 1.  Stock starts at S = 3.
#   day 4: 3 served, stock 0; position 0 <= 2: order 3, due on day 7
#   day 5: 1 lost (stockout day)      day 6: nothing
#   day 7: +3, 2 served, stock 1; position 1 <= 2: order 2
#   day 8: 1 served, stock 0; position 2 <= 2: order 1
#   day 9: 1 lost (stockout day); no origin on the 9th: the 8th's policy
#          holds, and position 3 > 2: no order
# Cycles (order to order): [4], [5..6] lost, [7], [8..9] lost: 2 of 4 held.
# Served 6 of 8: fill rate 0.75; end-of-day stock 0 0 0 1 0 0: mean 1/6.
expect_success 'the replay matches the hand computation' '
	nc-reorder --simulate 6 $HAND $R/backtest-hand.ndjson >out &&
	jq -se ".[0] | .scope == \"item\" and .from == \"2026-01-04\" and .to == \"2026-01-09\" and
		.initial_stock == 3 and .days == 6 and .orders == 3 and .stockout_days == 2 and
		.cycles == 4 and .stockout_cycles == 2 and .cycle_service_level == 0.5 and
		.fill_rate == 0.75 and .demand == 8 and .served == 6 and .avg_stock == 0.1667 and
		.avg_stock_value == 1.6667 and .missing_actual_days == 0" out
'

# Weekly origins (as nc-daily forecasts): the policy of an origin holds
# until the next one.  Forecast 7 a week (1/day), sd 0, LT 2, as above:
# PP 2, S 3.  Origins 4 and 11 January; actual 14 (2/day) in the week of
# 5 January, 7 (1/day) in the week of 12.  Window 5..18 January (t 0..13),
# stock starts at S = 3 (the origin of the 4th, before the window).
#   t0: 3-2 = 1, order 2 (due t3)   t1: 1 served, 1 lost, order 1 (t4)
#   t2: 2 lost                      t3: +2, 2 served, order 2 (t6)
#   t4: +1, 1 served, 1 lost, order 1 (t7)          t5: 2 lost
#   t6: +2, 2 served, order 2 (t9)  t7: +1, 1 served, order 1 (t10)
#   t8: 1 lost                      t9: +2, 1 served, stock 1, order 1
#   t10: +1, 1 served, stock 1, order 1   t11..t13: 1 served, order 1
# Orders 11, cycles 12 of which 5 short; served 14 of 21; stockout days
# t1 t2 t4 t5 t8; end-of-day stock 1 at t0, t9, t10: mean 3/14.
expect_success 'weekly origins: each policy holds until the next origin (hand case)' '
	w() { printf "{\"item_id\":\"W\",\"as_of\":\"%s\",\"date\":\"%s\",\"horizon\":%s,\"period\":\"week\",\"forecasted_demand\":7,\"forecast_sd\":0,\"actual_demand\":%s,\"lead_time_days\":2,\"cost\":10}\n" "$@"; }
	{ w 2026-01-04 2026-01-05 1 14; w 2026-01-04 2026-01-12 2 7; w 2026-01-11 2026-01-12 1 7; } >weekly &&
	nc-reorder --simulate 14 $HAND weekly >out &&
	jq -se ".[0] | .from == \"2026-01-05\" and .to == \"2026-01-18\" and .initial_stock == 3 and
		.orders == 11 and .cycles == 12 and .stockout_cycles == 5 and .stockout_days == 5 and
		.demand == 21 and .served == 14 and .fill_rate == 0.6667 and
		.cycle_service_level == 0.5833 and .avg_stock == 0.2143 and .avg_stock_value == 2.1429" out
'

expect_success '--backorders: unmet demand waits for the next arrival instead of being lost' '
	nc-reorder --simulate 6 $HAND $R/backtest-hand.ndjson >lost &&
	nc-reorder --simulate 6 $HAND --backorders $R/backtest-hand.ndjson >bo &&
	jq -se ".[0].unmet == \"lost\" and .[2].unmet == \"backordered\" and
		.[0].demand == .[2].demand and .[2].served <= .[0].served and
		.[2].orders >= .[0].orders" lost bo
'

expect_success 'an overall record follows the items' '
	nc-reorder --simulate 6 $HAND $R/backtest-hand.ndjson >out &&
	test $(wc -l <out) = 2 &&
	jq -se ".[1] | .scope == \"overall\" and .series == 1 and .cycle_service_level == 0.5" out
'

expect_success 'a longer window than the history counts the days without actuals' '
	nc-reorder --simulate 10 $HAND $R/backtest-hand.ndjson >out &&
	jq -se ".[0] | .days == 10 and .missing_actual_days == 2 and .from == \"2025-12-31\"" out
'

expect_success 'three items over 60 days: per item and overall figures agree' '
	nc-reorder --simulate 60 $R/backtest.ndjson >out &&
	test $(wc -l <out) = 4 &&
	jq -se "(.[0:3]) as \$i | .[3] as \$o |
		\$o.series == 3 and \$o.stockout_days == (\$i | map(.stockout_days) | add) and
		\$o.cycles == (\$i | map(.cycles) | add) and
		((\$o.fill_rate - ((\$i | map(.served) | add) / (\$i | map(.demand) | add))) | fabs) < 1e-3 and
		(\$i | all(.days == 60 and .fill_rate <= 1 and .fill_rate >= 0 and .cycle_service_level <= 1))" out
'

expect_success 'a higher service level holds more stock and loses fewer sales' '
	nc-reorder --simulate 60 --service-level 0.8 $R/backtest.ndjson | tail -n 1 >lo &&
	nc-reorder --simulate 60 --service-level 0.995 $R/backtest.ndjson | tail -n 1 >hi &&
	jq -se ".[0].avg_stock < .[1].avg_stock and .[0].fill_rate <= .[1].fill_rate" lo hi
'

expect_code 3 'rows without actual_demand cannot be replayed: the series is rejected' '
	nc-reorder --simulate 30 -r rej $R/forecast.ndjson >out 2>err' '
	test ! -s out && test $(wc -l <rej) = 5 && grep -q "actual_demand" rej
'

expect_code 2 '--simulate needs a number of days' 'nc-reorder --simulate 0 </dev/null'

done_testing
