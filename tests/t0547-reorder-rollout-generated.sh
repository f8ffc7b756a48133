#!/bin/sh
# nc-reorder's rollout rule on generated items whose truth is known
# (tests/gen-rollout.py): maintenance demand, a Poisson process of
# requests over 200 sites, must not be taken for a rollout; rollouts
# (1-3 bursts of 3-20 sites over 1-3 days) must be ordered on demand (a
# single burst in one week is already a one-off, by an earlier rule).  300 items of each
# kind per case; the bounds leave room for chance: the rule's false
# positives measured on 3,000 items a case are at most 0.9% below.
. "$(dirname "$0")/lib.sh"

# fc: 3 weekly forecast rows as of 2026-03-01 for each item of the history.
fc() {
	jq -r .item_id "$1" | sort -u | while read -r i; do
		for h in 1 2 3; do
			printf '{"item_id":"%s","as_of":"2026-03-01","date":"2026-03-%02d","horizon":%s,"period":"week","forecasted_demand":2,"forecast_sd":3,"p_demand":0.5,"size_mean":4,"size_sd":1,"demand_periods":9,"one_off":false,"supplier_id":"S","cost":10,"current_stock":0,"lead_time_days":14}\n' \
				"$i" $((7 * h - 5)) $h
		done
	done
}

for c in "120 4" "120 12" "180 30" "365 12"; do
	set -- $c
	expect_success "history $1 days, maintenance at $2 requests a year: rollouts found, maintenance kept" '
		python3 "$TESTS_DIR/gen-rollout.py" '"$1$2"' 300 '"$1 $2"' >h &&
		fc h >f &&
		nc-reorder --history h -m 100000 -r rej f >out &&
		jq -rs "
			def share(p): map(select(p)) | length;
			(map(select(.item_id | startswith(\"M\")))) as \$m |
			(map(select(.item_id | startswith(\"R\")))) as \$r |
			(\$m | share(.stocking_reason | startswith(\"rollout\"))) as \$fp |
			(\$r | share(.stocking == \"sob encomenda\")) as \$tp |
			\"maintenance \(\$m | length) taken for rollouts \(\$fp); rollouts \(\$r | length) ordered on demand \(\$tp)\",
			if \$fp <= 9 and \$tp >= 297 then empty else error(\"outside the bounds\") end" out
	'
done

done_testing
