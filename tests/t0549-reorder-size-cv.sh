#!/bin/sh
# nc-reorder: the compound model's size spread is nc-forecast's predictive
# size_cv x size_mean when the rows carry it, not the sizes seen (size_sd).
. "$(dirname "$0")/lib.sh"

# The hand case of t0540 (weeks with demand 4 with probability 0.3, sizes
# fixed: PP 12 at 95%), with SD as size_sd and CV as size_cv ("" leaves it out).
rows() {
	for h in 1 2 3; do
		printf '{"item_id":"C","as_of":"2026-01-04","date":"2026-01-%02d","horizon":%s,"period":"week","forecasted_demand":1.2,"forecast_sd":2,"p_demand":0.3,"size_mean":4,"size_sd":%s%s,"supplier_id":"S","cost":10,"current_stock":0,"lead_time_days":14}\n' \
			$((7 * h - 2)) $h "$1" "${2:+,\"size_cv\":$2}"
	done
}

expect_success 'sizes seen fixed, no size_cv: PP 12 (the hand case)' '
	rows 0 >seen &&
	nc-reorder --delivery 0 --min-requests 1 seen >out &&
	jq -e ".reorder_point == 12" out
'

expect_success 'size_cv 1.5 makes the sizes'"'"' sd 6: the same PP as size_sd 6' '
	rows 0 1.5 >cv &&
	rows 6 >sd6 &&
	nc-reorder --delivery 0 --min-requests 1 cv >a &&
	nc-reorder --delivery 0 --min-requests 1 sd6 >b &&
	jq -e ".reorder_point > 12" a &&
	test "$(jq .reorder_point a)" = "$(jq .reorder_point b)"
'

expect_success '--seen-sizes: size_sd again, PP 12' '
	nc-reorder --delivery 0 --min-requests 1 --seen-sizes cv >out &&
	jq -e ".reorder_point == 12" out
'

expect_success 'size_cv null is as if absent' '
	rows 0 null >cvnull &&
	nc-reorder --delivery 0 --min-requests 1 cvnull >out &&
	jq -e ".reorder_point == 12" out
'

expect_success 'a size_cv that is not a number >= 0 rejects the row' '
	rows 0 -1 >bad &&
	exits 3 nc-reorder --delivery 0 -r rej bad >/dev/null 2>err &&
	grep -q "size_cv: not a number >= 0" rej
'

done_testing
