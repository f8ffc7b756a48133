#!/bin/sh
# nc-reorder --simulate over a roll-up (stock held per item, forecasts per
# item x site), with the daily history as the demand, and the protection
# coverage of the order-up-to levels.
. "$(dirname "$0")/lib.sh"
R=$FIXTURES/reorder
HAND="--review 0 --delivery 0 --order-cost 0.01 --holding-rate 0.73"

# Two sites of one item, each forecast 0.5/day with sd 0 and each with the
# hand case's actual demand (3 1 0 2 1 1 over 4..9 January): rolled up to
# the item they are one series of 1/day whose demand is twice the hand
# case's.  Every figure of the replay must equal that of the one series
# written out by hand (a replay that counts one site's demand, or lets a
# site's rows replace the other's, sees 8 units, not 16).
expect_success 'a roll-up replays the sum of its sites'"'"' demand' '
	jq -c ". + {site_id: \"S1\", forecasted_demand: 0.5, ci_lower: 0.5, ci_upper: 0.5,
		ci_lower_95: 0.5, ci_upper_95: 0.5, q50: 0.5, q95: 0.5}" $R/backtest-hand.ndjson >s1 &&
	jq -c ".site_id = \"S2\"" s1 >s2 &&
	jq -c "if .actual_demand == null then . else .actual_demand *= 2 end" \
		$R/backtest-hand.ndjson >one &&
	cat s1 s2 >sites &&
	nc-reorder --simulate 6 $HAND -k item_id sites >rolled &&
	nc-reorder --simulate 6 $HAND one >single &&
	jq -se ".[0] | .demand == 16 and .missing_actual_days == 0" rolled &&
	jq -sc ".[0] | del(.demand_from)" rolled >a &&
	jq -sc ".[0] | del(.demand_from)" single >b &&
	cmp_files b a
'

expect_success 'the sites'"'"' order in the input does not change the roll-up' '
	cat s2 s1 >sites21 &&
	nc-reorder --simulate 6 $HAND -k item_id sites21 >rolled21 &&
	cmp_files rolled rolled21
'

# Weekly forecast rows only know a week's total: without the days in the
# history, the week of 12 January's 21 units are spread evenly (3 a day);
# with them, the days replay as requested: all 21 on the 18th.  Both
# histories hold the same weekly requests of 7 before the window and
# nothing between the origins (4 and 11 January), so the policies are the
# same and only the placing of the demand differs: stock stays up until
# the 18th, and fewer orders are placed.
weekly() {
	w() { printf "{\"item_id\":\"W\",\"as_of\":\"%s\",\"date\":\"%s\",\"horizon\":%s,\"period\":\"week\",\"forecasted_demand\":7,\"forecast_sd\":0,\"actual_demand\":%s,\"lead_time_days\":2,\"cost\":10}\n" "$@"; }
	w 2026-01-04 2026-01-05 1 0; w 2026-01-04 2026-01-12 2 21; w 2026-01-11 2026-01-12 1 21
}
expect_success 'with --history the window'"'"'s demand is the history'"'"'s, day by day' '
	weekly >weekly &&
	{ printf "{\"item_id\":\"W\",\"date\":\"2025-10-%02d\",\"quantity\":7}\n" 1 8 15 22 29
	  printf "{\"item_id\":\"W\",\"date\":\"2025-12-31\",\"quantity\":0}\n"; } >hshort &&
	{ cat hshort; printf "{\"item_id\":\"W\",\"date\":\"2026-01-18\",\"quantity\":21}\n"; } >hist &&
	nc-reorder --simulate 14 $HAND --history hshort weekly >spread &&
	nc-reorder --simulate 14 $HAND --history hist weekly >daily &&
	jq -se ".[0] | .demand_from == \"forecast rows\" and .demand == 21" spread &&
	jq -se ".[0] | .demand_from == \"history\" and .demand == 21 and .missing_actual_days == 0" daily &&
	jq -se ".[0] as \$s | .[2] as \$d | \$s.initial_stock == \$d.initial_stock and
		\$d.avg_stock > \$s.avg_stock and \$d.orders < \$s.orders" spread daily
'

expect_success 'a history that stops inside the window: the rest from the rows' '
	{ cat hshort; printf "{\"item_id\":\"W\",\"date\":\"2026-01-08\",\"quantity\":0}\n"; } >hmid &&
	nc-reorder --simulate 14 $HAND --history hmid weekly >mixed &&
	jq -se ".[0] | .demand_from == \"history and forecast rows\" and .demand == 21" mixed
'

# Protection coverage, by hand (the hand case of t0510): S = 3 at every
# origin, LT 2, reviewed daily: S protects the next 3 days.  Origins
# 4..8 January in the window 4..9; the window holds the next 3 days of
# the 4th (5-7: 1+0+2 = 3), the 5th (6-8: 0+2+1 = 3) and the 6th (7-9:
# 2+1+1 = 4 > 3): 3 checks, 2 covered.
expect_success 'protection_covered: the share of origins whose S covered the days it protects' '
	nc-reorder --simulate 6 $HAND $R/backtest-hand.ndjson >out &&
	jq -se ".[0].protection_checks == 3 and .[0].protection_covered == 0.6667 and
		.[1].protection_checks == 3 and .[1].protection_covered == 0.6667" out
'

expect_success 'an item ordered on demand has no protection checks' '
	nc-reorder --simulate 6 $HAND --method on-demand $R/backtest-hand.ndjson >od &&
	jq -se ".[0].protection_checks == 0 and .[0].protection_covered == null" od
'

done_testing
