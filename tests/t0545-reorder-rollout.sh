#!/bin/sh
# nc-reorder: the rollout rule of the stocking decision.  A part that a
# project took to several sites in a few bursts is ordered on demand; a
# part requested by one site at a time, week after week, is stocked.
. "$(dirname "$0")/lib.sh"

# Forecast rows of item A as of 2026-03-01 (weekly, 2 a week, p 0.5):
# the policy of an item with demand that, without the rule, is stocked.
fc() {
	for h in 1 2 3; do
		printf '{"item_id":"%s","site_id":"%s","as_of":"2026-03-01","date":"2026-03-%02d","horizon":%s,"period":"week","forecasted_demand":2,"forecast_sd":3,"p_demand":0.5,"size_mean":4,"size_sd":1,"demand_periods":9,"supplier_id":"S","family":"F","cost":10,"current_stock":0,"lead_time_days":14}\n' \
			"$1" "$2" $((7 * h - 5)) $h
	done
}
# hist ITEM DATE SITE QTY ...: history rows (SITE "-": no site_id).
hist() {
	_i=$1; shift
	while test $# -ge 3; do
		if test "$2" = -; then
			printf '{"item_id":"%s","date":"%s","quantity":%s}\n' "$_i" "$1" "$3"
		else
			printf '{"item_id":"%s","site_id":"%s","date":"%s","quantity":%s}\n' "$_i" "$2" "$1" "$3"
		fi
		shift 3
	done
}
# Two bursts of a rollout: four towers in three days in January, four
# more in February.
rollout() {
	hist A 2026-01-12 T1 40 2026-01-12 T2 40 2026-01-13 T3 40 2026-01-14 T4 40 \
		2026-02-09 T5 40 2026-02-10 T6 40 2026-02-10 T7 40 2026-02-11 T8 40
}
# Maintenance: one site at a time, every week or two since November.
maint() {
	hist A 2025-11-03 T1 4 2025-11-17 T2 4 2025-12-01 T3 4 2025-12-08 T1 4 \
		2025-12-22 T4 4 2026-01-05 T2 4 2026-01-19 T5 4 2026-02-02 T1 4 \
		2026-02-16 T6 4
}

expect_success 'a rollout (2 bursts of 4 sites) is ordered on demand, and says why' '
	fc A T1 >fc && rollout >h &&
	nc-reorder --history h fc >out &&
	jq -e ".stocking == \"sob encomenda\" and .reorder_point == 0 and
		.stocking_reason == \"rollout: 100% of the units in 2 bursts of 3+ sites, of 2\"" out
'

expect_success 'maintenance (one site a request, 9 requests): stocked' '
	maint >m &&
	nc-reorder --history m fc >out &&
	jq -e ".stocking == \"estoque\" and .reorder_point > 0" out
'

expect_success 'a third and a fourth burst make demand that recurs: stocked' '
	{ rollout; hist A 2025-12-01 T1 5 2026-02-25 T9 40; } >h4 &&
	nc-reorder --history h4 fc >out &&
	jq -e ".stocking == \"estoque\"" out
'

expect_success '--rollout-bursts 4 lets those four bursts be a rollout (320 of 365 units, 88%, in waves)' '
	nc-reorder --history h4 --rollout-bursts 4 fc >out &&
	jq -e ".stocking == \"sob encomenda\" and
		(.stocking_reason | startswith(\"rollout: 88% of the units in 2 bursts of 3+ sites, of 4\"))" out &&
	nc-reorder --history h4 --rollout-bursts 3 fc >out3 &&
	jq -e ".stocking == \"estoque\"" out3
'

expect_success '--rollout-bursts 1: two bursts are too many' '
	nc-reorder --history h --rollout-bursts 1 fc >out &&
	jq -e ".stocking == \"estoque\"" out
'

expect_success '--rollout-bursts must be a whole number from 1' '
	exits 2 nc-reorder --rollout-bursts 0 fc 2>err &&
	exits 2 nc-reorder --rollout-bursts 1.5 fc 2>err &&
	grep -q "rollout-bursts" err
'

expect_success 'bursts of fewer sites than --rollout-sites, or the rule off: stocked' '
	nc-reorder --history h --rollout-sites 5 fc >five &&
	nc-reorder --history h --rollout-sites 0 fc >off &&
	nc-reorder --history h --rollout-sites 4 fc >four &&
	jq -se ".[0].stocking == \"estoque\" and .[1].stocking == \"estoque\" and
		.[2].stocking == \"sob encomenda\"" five off four
'

expect_success 'sites that fall in one burst but days apart are maintenance: stocked' '
	# Four sites in 13 days, no 4 days of which reach 3 sites.
	hist A 2026-01-05 T1 40 2026-01-09 T2 40 2026-01-13 T3 40 2026-01-17 T4 40 >spread &&
	nc-reorder --history spread fc >out &&
	jq -e ".stocking == \"estoque\"" out &&
	hist A 2026-01-05 T1 40 2026-01-08 T2 40 2026-01-08 T3 40 2026-01-17 T4 40 >close &&
	nc-reorder --history close fc >out &&
	jq -e ".stocking == \"sob encomenda\"" out
'

expect_success 'a history without site_id cannot tell a rollout: stocked' '
	jq -c "del(.site_id)" h >nosite &&
	nc-reorder --history nosite fc >out &&
	jq -e ".stocking == \"estoque\"" out
'

expect_success 'half the units in a multi-site burst is enough; less is not' '
	# 160 units in the January rollout against 160 from one site: 50%.
	{ hist A 2026-01-12 T1 40 2026-01-12 T2 40 2026-01-13 T3 40 2026-01-14 T4 40 \
		2026-02-20 T9 160; } >half &&
	{ hist A 2026-01-12 T1 40 2026-01-12 T2 40 2026-01-13 T3 40 2026-01-14 T4 40 \
		2026-02-20 T9 161; } >less &&
	nc-reorder --history half fc >a && nc-reorder --history less fc >b &&
	jq -se ".[0].stocking == \"sob encomenda\" and
		(.[0].stocking_reason | startswith(\"rollout: 50% of the units in 1 burst \")) and
		.[1].stocking == \"estoque\"" a b
'

expect_success 'only the history up to as_of counts (a rollout after it does not)' '
	{ maint; hist A 2026-03-05 T7 90 2026-03-05 T8 90 2026-03-06 T9 90; } >later &&
	nc-reorder --history later fc >out &&
	jq -e ".stocking == \"estoque\"" out
'

expect_success 'the roll-up of an item over sites sees the rollout; a site alone does not' '
	{ fc A T1; fc A T2; } >two &&
	nc-reorder -k item_id --history h two >item &&
	nc-reorder -k item_id,site_id --history h two >sites &&
	jq -e ".stocking == \"sob encomenda\"" item &&
	jq -se "length == 2 and all(.stocking_reason | startswith(\"rollout\") | not)" sites
'

expect_success 'method classic stocks every series (the company'"'"'s formula, unchanged)' '
	nc-reorder --method classic --history h --since 2025-11-01 fc >out &&
	jq -e ".stocking == \"estoque\"" out
'

for bad in 1.5 -1 2000 x ""; do
	expect_success "--rollout-sites '$bad' is a usage error" '
		exits 2 nc-reorder --rollout-sites "'"$bad"'" fc
	'
done

done_testing
