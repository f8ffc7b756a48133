#!/bin/sh
# nc-reorder: a forecast's lumps (requests of a project's size, carried by
# nc-forecast as a rate in the mean and the variance) are left out of the
# policy: stock is held for maintenance's demand.
. "$(dirname "$0")/lib.sh"

# The hand case of t0540: weeks with a demand of 4 units with probability
# 0.3, LT 14 + review 7 = 3 weeks: PP = 12 at 95%.  Here the forecast also
# carries one lump of 60 units over 20 weeks of history: 3 units a week in
# the mean (4.2 = 1.2 + 3) and 60^2 / 20 = 180 in the variance.  With the
# lump's rate the sizes are scaled by 4.2 / 1.2 = 3.5 (14 a request) and
# PP = 3 x 14 = 42; without it, 12, and lump_demand_excluded = 3/7 x 21 = 9.
rows() {
	# rows ONE_OFF LUMPS
	for h in 1 2 3; do
		printf '{"item_id":"L","as_of":"2026-01-04","date":"2026-01-%02d","horizon":%s,"period":"week","forecasted_demand":4.2,"forecast_sd":%s,"p_demand":0.3,"size_mean":4,"size_sd":0,"one_off":%s,"lumps":%s,"one_off_demand":60,"history_periods":20,"supplier_id":"S","cost":10,"current_stock":0,"lead_time_days":14}\n' \
			$((7 * h - 2)) $h "$(LC_ALL=C awk 'BEGIN { printf "%.12g", sqrt(0.3 * 16 * 1 + 180) }')" "$1" "$2"
	done
}

expect_success 'the lump'"'"'s rate is left out: PP 12, not 42 (hand case)' '
	rows false 1 >in &&
	nc-reorder --delivery 0 --min-requests 1 in >out &&
	jq -e ".demand_model == \"compound\" and .reorder_point == 12 and
		.lump_demand_excluded == 9 and .protection_demand == 3.6" out
'

expect_success '--keep-lumps stocks for it: PP 42' '
	nc-reorder --delivery 0 --min-requests 1 --keep-lumps in >out &&
	jq -e ".reorder_point == 42 and .lump_demand_excluded == 0 and .protection_demand == 12.6" out
'

expect_success 'a row without lumps is unchanged' '
	rows false 0 >in0 &&
	nc-reorder --delivery 0 --min-requests 1 in0 >a &&
	nc-reorder --delivery 0 --min-requests 1 --keep-lumps in0 >b &&
	cmp_files a b &&
	jq -e ".reorder_point == 42 and .lump_demand_excluded == 0" a
'

expect_success 'a one-off series'"'"'s one_off_demand is its request, not a lump: kept' '
	rows true 1 >in1 &&
	nc-reorder --delivery 0 --min-requests 1 in1 >out &&
	jq -e ".lump_demand_excluded == 0" out
'

expect_success 'sites of an item roll up, each without its lumps' '
	{ rows false 1; rows false 1 | sed "s/\"item_id\":\"L\"/\"item_id\":\"L\",\"site_id\":\"B\"/"; } |
		sed "s/\"item_id\":\"L\",\"as_of\"/\"item_id\":\"L\",\"site_id\":\"A\",\"as_of\"/" >two &&
	nc-reorder -k item_id --delivery 0 --min-requests 1 two >out &&
	jq -e ".lump_demand_excluded == 18 and .protection_demand == 7.2" out
'

expect_success 'lumps that is not a number rejects the row' '
	rows false "\"x\"" >bad &&
	exits 3 nc-reorder --delivery 0 -r rej bad >/dev/null 2>err &&
	grep -q "lumps, one_off_demand, history_periods: not numbers" rej
'

done_testing
