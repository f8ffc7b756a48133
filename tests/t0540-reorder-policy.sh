#!/bin/sh
# nc-reorder (issue 18): the compound protection interval, the roll-up of
# sites into an item, settling rows, the stocking decision, the classic
# formula over the whole window, the 12-month cap; hand-made forecast rows
# with the occurrence x size fields of nc-records(5).
. "$(dirname "$0")/lib.sh"

# near FILE JQPATH VALUE: the number at JQPATH is VALUE within 1e-3.
near() {
	jq -e --argjson v "$3" "($2 - \$v) | fabs < 1e-3" "$1" >/dev/null ||
	{ echo "$2 = $(jq "$2" "$1"), want $3"; return 1; }
}

# wk ITEM SITE AS_OF DATE H MEAN SD P SIZE SIZE_SD [EXTRA]: a weekly forecast row.
wk() {
	printf '{"forecast_id":"%s|%s|%s|%s","item_id":"%s","site_id":"%s","as_of":"%s","date":"%s","horizon":%s,"period":"week","forecasted_demand":%s,"forecast_sd":%s,"p_demand":%s,"size_mean":%s,"size_sd":%s,"supplier_id":"S","family":"F","cost":10,"current_stock":%s,"lead_time_days":14,"lead_time_obs":9,"lead_time_std":0%s}\n' \
		"$1" "$2" "$3" "$5" "$1" "$2" "$3" "$4" "$5" "$6" "$7" "$8" "$9" "${10}" "${STOCK:-0}" "${11:-}"
}
# three weeks from 2026-01-05 of one series
rows() {
	# rows ITEM SITE [EXTRA]
	for h in 1 2 3; do
		d=$(( 4 + 7 * h - 6 ))
		printf '%s\n' "$(wk "$1" "$2" 2026-01-04 "2026-01-$(printf %02d $d)" $h 1.2 2 0.3 4 0 "${3:-}")"
	done
}

expect_success 'compound protection interval (hand case): LT 14 + review 7 = 3 weeks, PP = 12' '
	# Demand of 4 with probability 0.3 a week: N ~ Poisson(0.9) over 3 weeks,
	# P(N <= 2) = 0.9372, P(N <= 3) = 0.9866: PP at 95% = 3 x 4.
	rows A x >in &&
	nc-reorder --delivery 0 --min-requests 1 in >out &&
	jq -e ".demand_model == \"compound\" and .protection_days == 21 and .protection_demand == 3.6 and
		.reorder_point == 12 and .safety_stock == 8.4 and .lead_time_demand == 2.4 and
		.order_up_to == 12 and .recommended_order_qty == 12 and .stocking == \"estoque\"" out
'

expect_success 'continuous review (--review 0): the lead time alone, PP = 8' '
	rows A x >in &&
	nc-reorder --delivery 0 --review 0 --min-requests 1 in >out &&
	jq -e ".protection_days == 14 and .reorder_point == 8" out
'

expect_success 'smooth demand (p_demand >= 0.8): the normal over LT + review' '
	for h in 1 2 3; do wk B x 2026-01-04 "2026-01-$(printf %02d $((7 * h - 2)))" $h 14 2 1 14 2; done >in &&
	nc-reorder --delivery 0 in >out &&
	near out .reorder_point "$(LC_ALL=C awk "BEGIN { printf \"%.6f\", 42 + 1.6448536269514722 * sqrt(12) }")" &&
	jq -e ".demand_model == \"normal\"" out
'

expect_success 'roll-up: -k item_id sums the sites (occurrences add): PP = 16' '
	# Two sites of 0.3 a week each: Poisson(1.8) over 3 weeks, P(N <= 3) =
	# 0.8913, P(N <= 4) = 0.9636: PP = 4 x 4.
	{ rows A s1; rows A s2; } >in &&
	nc-reorder -k item_id --delivery 0 in >out &&
	test $(wc -l <out) = 1 &&
	jq -e ".reorder_point == 16 and .protection_demand == 7.2 and .lead_time_obs == 18" out &&
	nc-reorder -k item_id,site_id --delivery 0 --min-requests 1 in >out2 &&
	test $(wc -l <out2) = 2 && jq -se "all(.reorder_point == 12)" out2
'

expect_success 'rows with settling: true are left out of the projection' '
	rows A x >in &&
	wk A x 2026-01-04 2025-12-29 0 500 100 0.3 4 0 ",\"settling\":true" >>in &&
	nc-reorder --delivery 0 in >out &&
	jq -e ".reorder_point == 12 and .protection_demand == 3.6" out
'

expect_success 'stocking: one_off, a single request, rare demand go on demand; no order for stock' '
	rows A x ",\"one_off\":true" >in &&
	rows B x ",\"demand_periods\":1" >>in &&
	for h in 1 2 3; do wk C x 2026-01-04 "2026-01-$(printf %02d $((7 * h - 2)))" $h 0.08 0.5 0.02 4 0; done >>in &&
	rows D x ",\"demand_periods\":5" >>in &&
	nc-reorder --delivery 0 in >out &&
	jq -se "map(.stocking) == [\"sob encomenda\", \"sob encomenda\", \"sob encomenda\", \"estoque\"] and
		(.[0:3] | all(.recommended_order_qty == 0 and .reorder_point == 0 and .safety_stock == 0 and .order_up_to == 0)) and
		.[0].stocking_reason == \"one-off demand\" and
		.[1].stocking_reason == \"a single request in the history\" and
		(.[2].stocking_reason | test(\"requests a year, under --min-requests 2\")) and
		(.[2].requests_per_year - 0.02 * 365 / 7 | fabs) < 1e-3 and
		.[3].recommended_order_qty == 12" out
'

expect_success 'stocking: --min-requests, --max-value and a --stocking file decide' '
	for h in 1 2 3; do wk C x 2026-01-04 "2026-01-$(printf %02d $((7 * h - 2)))" $h 0.08 0.5 0.02 4 0; done >in &&
	nc-reorder --delivery 0 --min-requests 1 in >out &&
	jq -e ".stocking == \"estoque\"" out &&
	rows A x >a &&
	nc-reorder --delivery 0 --max-value 100 a >out &&
	jq -e ".stocking == \"sob encomenda\" and (.stocking_reason | test(\"max-value\"))" out &&
	nc-reorder --delivery 0 --max-value 200 a >out &&
	jq -e ".stocking == \"estoque\"" out &&
	echo "{\"item_id\":\"C\",\"stocking\":\"estoque\"}" >st &&
	nc-reorder --delivery 0 --stocking st in >out &&
	jq -e ".stocking == \"estoque\" and .stocking_reason == \"--stocking\" and .reorder_point > 0" out
'

expect_success 'on demand: the requests recorded on settling rows are orders to place' '
	STOCK=1 rows A x ",\"one_off\":true" >in &&
	STOCK=1 wk A x 2026-01-04 2025-12-29 0 3 1 0.3 4 0 ",\"settling\":true,\"actual_demand\":5,\"one_off\":true" >>in &&
	nc-reorder --delivery 0 in >out &&
	jq -e ".stocking == \"sob encomenda\" and .recommended_order_qty == 0 and .order_on_demand_qty == 4" out
'

expect_code 2 'a --stocking file with another value is a usage error' '
	echo "{\"item_id\":\"C\",\"stocking\":\"maybe\"}" >st && nc-reorder --stocking st </dev/null
'

# The classic formula over the whole window: item A has one request of 10
# on 10 January; item B starts the data on 1 January.  A: 10 days, d = 1,
# sd = sqrt((9 x 1 + 81) / 9) = sqrt(10); LT 4: SS = z sqrt(4 x 10).
hist() {
	printf "%s\n" "{\"item_id\":\"B\",\"date\":\"2026-01-01\",\"quantity\":1,\"lead_time_days\":4}" \
		"{\"item_id\":\"A\",\"date\":\"2026-01-10\",\"quantity\":10,\"lead_time_days\":4}"
}
expect_success 'classic: d and sd_d over the data'"'"'s whole window, zeros counted' '
	hist >h &&
	nc-reorder --method classic --delivery 0 h >out &&
	jq -se ".[1] | .item_id == \"A\" and .avg_daily_demand == 1 and .daily_demand_sd == 3.1623 and
		.lead_time_demand == 4 and .safety_stock == 10.403" out &&
	nc-reorder --method classic --delivery 0 --since 2025-12-31 h >out &&
	jq -se ".[1].avg_daily_demand == 0.9091" out
'

expect_success 'classic --history: forecast rows get the history known at their origin only' '
	hist >h &&
	echo "{\"item_id\":\"A\",\"date\":\"2026-01-12\",\"quantity\":1000}" >>h &&
	for d in 11 12 13 14 15 16 17; do
		printf "{\"item_id\":\"A\",\"as_of\":\"2026-01-10\",\"date\":\"2026-01-%s\",\"horizon\":%s,\"period\":\"day\",\"forecasted_demand\":1,\"forecast_sd\":0,\"actual_demand\":0,\"lead_time_days\":4,\"cost\":1}\n" $d $((d - 10))
	done >bt &&
	# At 10 January: PP 14.403, S = PP + d = 15.403: the replay starts at 16.
	nc-reorder --method classic --delivery 0 --review 0 --history h --simulate 5 bt >out &&
	jq -se ".[0] | .method == \"classic\" and .initial_stock == 16" out &&
	nc-reorder --method classic --delivery 0 --review 0 --history h bt >out &&
	jq -e ".reorder_point == 14.403 and .demand_12m == 10" out
'

expect_code 3 'classic without any daily history rejects the series' '
	rows A x >in && nc-reorder --method classic -r rej in >out' '
	grep -q "no daily history" rej
'

expect_success 'no order above the last 12 months'"'"' demand unless the row says why' '
	rows A x >in
	printf "%s\n" "{\"item_id\":\"A\",\"site_id\":\"x\",\"date\":\"2025-06-01\",\"quantity\":5}" \
		"{\"item_id\":\"A\",\"site_id\":\"x\",\"date\":\"2025-06-08\",\"quantity\":2}" \
		"{\"item_id\":\"A\",\"site_id\":\"x\",\"date\":\"2024-06-08\",\"quantity\":50}" >h &&
	nc-reorder -k item_id,site_id --delivery 0 --history h in >out &&
	jq -e ".demand_12m == 7 and .recommended_order_qty == 7 and .reorder_point > 7 and
		.order_note == \"capped at the demand of the last 12 months\"" out &&
	nc-reorder -k item_id,site_id --delivery 0 in >out &&
	jq -e ".demand_12m == null and .order_note == null and .recommended_order_qty == 12" out
'

expect_success '--simulate --method on-demand: every request is an order, nothing in stock' '
	for d in 11 12 13 14 15 16 17; do
		printf "{\"item_id\":\"A\",\"as_of\":\"2026-01-10\",\"date\":\"2026-01-%s\",\"horizon\":%s,\"period\":\"day\",\"forecasted_demand\":1,\"forecast_sd\":0,\"actual_demand\":%s,\"lead_time_days\":4,\"cost\":1}\n" $d $((d - 10)) $((d % 2))
	done >bt &&
	nc-reorder --method on-demand --simulate 5 bt >out &&
	jq -se ".[0] | .orders == 3 and .orders_on_demand == 3 and .demand == 3 and .fill_rate == 0 and .avg_stock == 0 and .initial_stock == 0" out
'

done_testing
