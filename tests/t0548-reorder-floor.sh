#!/bin/sh
# nc-reorder: the history's floor.  Where the daily history is long enough,
# PP is no lower than the service level's quantile of the history's demand
# over every window of T days (T = LT + review), computed here on its own
# by awk, independently of nc-reorder.
. "$(dirname "$0")/lib.sh"

# The hand case of t0540 (PP 12 at 95%, T = 21 days) as forecast rows.
rows() {
	for h in 1 2 3; do
		printf '{"item_id":"L","as_of":"2026-01-04","date":"2026-01-%02d","horizon":%s,"period":"week","forecasted_demand":1.2,"forecast_sd":%s,"p_demand":0.3,"size_mean":4,"size_sd":0,"one_off":false,"lumps":%s,"one_off_demand":60,"history_periods":20,"supplier_id":"S","cost":10,"current_stock":0,"lead_time_days":14}\n' \
			$((7 * h - 2)) $h "$(LC_ALL=C awk 'BEGIN { printf "%.12g", sqrt(0.3 * 16) }')" "$1"
	done
}

# hist DAYS SEED: DAYS days of history to 2026-01-04: a request of 4 on
# about one day in 20, and of 40 on one in 60 (a heavier tail than the
# forecast's sizes of 4).
hist() {
	LC_ALL=C awk -v days="$1" -v seed="$2" 'BEGIN {
		srand(seed)
		for (i = days - 1; i >= 0; i--) {
			cmd = "date -u -d \"2026-01-04 - " i " days\" +%F"
			cmd | getline d; close(cmd)
			u = rand(); q = u < 1 / 60 ? 40 : u < 1 / 60 + 1 / 20 ? 4 : 0
			if (q > 0) printf "{\"item_id\":\"L\",\"date\":\"%s\",\"quantity\":%d}\n", d, q
		}
	}'
}

# floor_of T P <hist: the P-quantile of the T-day window sums from the
# history's first day to 2026-01-04 (the smallest sum at least P of them
# do not exceed), and the number of windows.
floor_of() {
	jq -r '"\(.date) \(.quantity)"' |
	LC_ALL=C awk -v t="$1" -v p="$2" '
	{ cmd = "date -u -d " $1 " +%s"; cmd | getline s; close(cmd)
	  k = (s - 1767484800) / 86400; q[k] += $2; if (k < lo) lo = k }
	END {
		n = 0
		for (i = lo + t - 1; i <= 0; i++) {
			w = 0
			for (j = i - t + 1; j <= i; j++) w += q[j]
			sums[n++] = w
		}
		# sort ascending (insertion: n is a few hundred)
		for (i = 1; i < n; i++) { v = sums[i]; for (j = i - 1; j >= 0 && sums[j] > v; j--) sums[j + 1] = sums[j]; sums[j + 1] = v }
		k = int(p * n); if (k < p * n - 1e-9) k++
		print sums[k - 1], n
	}'
}

rows 0 >in
hist 365 7 >h365
floor_of 21 0.95 <h365 >want
read -r q n <want

expect_success 'the history'"'"'s quantile is above the model'"'"'s PP here (a check of the case)' '
	test "$q" -gt 12
'

expect_success 'PP is raised to the history'"'"'s 95% quantile of 21-day demand' '
	nc-reorder --delivery 0 --min-requests 1 --history h365 in >out &&
	jq -e --argjson q "$q" --argjson n "$n" ".reorder_point == \$q and .history_floor == \$q and
		.history_floor_windows == \$n and .safety_stock == \$q - .protection_demand and
		.order_up_to == \$q and .recommended_order_qty == \$q" out
'

expect_success '--no-history-floor: the model'"'"'s PP, 12, and no floor' '
	nc-reorder --delivery 0 --min-requests 1 --history h365 --no-history-floor in >out &&
	jq -e ".reorder_point == 12 and .history_floor == null and .history_floor_windows == 0" out
'

expect_success 'at 99% the floor is the 99% quantile' '
	floor_of 21 0.99 <h365 >want99 &&
	read -r q99 n99 <want99 &&
	nc-reorder --delivery 0 --min-requests 1 --service-level 0.99 --history h365 in >out &&
	jq -e --argjson q "$q99" ".history_floor == \$q and .reorder_point == ([\$q, 16] | max)" out
'

expect_success 'a floor under the model'"'"'s PP leaves it: a quiet history' '
	for d in 2025-01-05 2025-02-05 2025-03-05 2025-04-05 2025-05-05 2025-06-05 \
		2025-07-05 2025-08-05 2025-09-05 2025-10-05; do
		echo "{\"item_id\":\"L\",\"date\":\"$d\",\"quantity\":1}"
	done >quiet &&
	floor_of 21 0.95 <quiet >wantq &&
	read -r qq nq <wantq &&
	test "$qq" = 1 &&
	nc-reorder --delivery 0 --min-requests 1 --history quiet in >out &&
	jq -e --argjson n "$nq" ".reorder_point == 12 and .history_floor == 1 and
		.history_floor_windows == \$n" out
'

expect_success 'under 10 days with demand: no floor (its top quantile would be the largest request)' '
	head -n 9 quiet >nine &&
	{ cat nine; echo "{\"item_id\":\"L\",\"date\":\"2025-10-05\",\"quantity\":500}"; } >sparse &&
	nc-reorder --delivery 0 --min-requests 1 --history nine in >out &&
	jq -e ".history_floor == null and .reorder_point == 12" out &&
	nc-reorder --delivery 0 --min-requests 1 --history sparse in >out &&
	jq -e ".history_floor == 500" out
'

expect_success 'under 8 x T days of history: no floor' '
	hist 160 7 >h160 &&
	nc-reorder --delivery 0 --min-requests 1 --history h160 in >out &&
	jq -e ".reorder_point == 12 and .history_floor == null" out
'

expect_success 'a series whose lumps were left out takes no floor (its history holds them)' '
	rows 1 >lumpy &&
	nc-reorder --delivery 0 --min-requests 1 --history h365 lumpy >out &&
	jq -e ".history_floor == null and .lump_demand_excluded > 0" out
'

expect_success 'method classic takes no floor' '
	nc-reorder --delivery 0 --method classic --history h365 in >out &&
	jq -e ".history_floor == null" out
'

done_testing
