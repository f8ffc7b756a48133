#!/bin/sh
# nc-alert: the rules of issue 18 (alerts a buyer acts on) and the dates of
# issue 20, on hand-made reorder rows (alert-lib.sh's row).  Each check is
# its own line, so that set -e stops at the first that fails.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/alert-lib.sh"
NOW=--now=2026-11-27T06:00:00Z

# 010323 of the demo: 71 a day forecast, lead time 0 (so PP 0), stock 33,
# stockout projected the next day, order 466.
lt0() {
	row "{\"item_id\":\"010323\",\"as_of\":\"2025-10-19\",\"current_stock\":$1,
	    \"lead_time_days\":0,\"avg_daily_demand\":71.1688,\"daily_demand_sd\":0,
	    \"lead_time_demand\":0,\"safety_stock\":0,\"reorder_point\":0,
	    \"order_up_to\":498.1818,\"recommended_order_qty\":466,\"stockout_date\":$2}"
}

expect_success 'demand forecast with a reorder point of 0 is never VERDE "sem demanda"' '
	lt0 33 "\"2025-10-20\"" >in
	nc-alert $NOW --all <in >out
	jq -e ".level == \"AMARELO\"" out
	jq -e ".reason | test(\"^ruptura prevista em 2025-10-20, antes que um pedido\")" out
	lt0 0 "\"2025-10-19\"" | nc-alert $NOW --all >out
	jq -e ".level == \"VERMELHO\" and .urgency == \"critical\"" out
	lt0 33 null | nc-alert $NOW --all >out
	jq -e ".level == \"AMARELO\" and .reason == \"estoque 33 dura 0.46 dias, menos que o prazo de entrega mais a revisão (7 dias): planeje a compra\"" out
	lt0 600 null | jq -c ".order_up_to = null" | nc-alert $NOW --all >out
	jq -e ".level == \"VERDE\" and (.reason | test(\"cobre o prazo de entrega\"))" out
'

expect_success 'no demand and a reorder point of 0 is still VERDE "sem demanda prevista"' '
	row "{\"avg_daily_demand\":0,\"daily_demand_sd\":0,\"lead_time_demand\":0,
	    \"safety_stock\":0,\"reorder_point\":0,\"order_up_to\":0,\"current_stock\":0}" |
	    nc-alert $NOW --all >out
	jq -e ".level == \"VERDE\" and .reason == \"sem demanda prevista (ponto de pedido 0)\"" out
'

expect_success 'a series at or above its order-up-to level is VERDE, below it the bands hold' '
	{ row "{\"item_id\":\"at\",\"current_stock\":41}"
	  row "{\"item_id\":\"above\",\"current_stock\":41.5}"
	  row "{\"item_id\":\"below\",\"current_stock\":40.5}"
	  row "{\"item_id\":\"onorder\",\"current_stock\":20,\"on_order\":21}"
	  row "{\"item_id\":\"red\",\"current_stock\":27.2}"; } >in
	nc-alert $NOW --all <in >out
	test "$(jq -sr "map(.level) | join(\" \")" out)" = "VERDE VERDE AMARELO VERDE VERMELHO"
	jq -se ".[0].reason == \"estoque 41 no nível máximo 41 ou acima: nada a comprar\"" out
'

expect_success 'a just-replenished series raises no alert by default' '
	row "{\"current_stock\":41}" | nc-alert $NOW >out
	test ! -s out
'

expect_success 'urgency: a stockout projected within the lead time is critical, stock < SS is not' '
	{ row "{\"item_id\":\"late\",\"current_stock\":13,\"stockout_date\":\"2026-12-09\"}"
	  row "{\"item_id\":\"lowss\",\"current_stock\":19,\"avg_daily_demand\":0.1,
	      \"stockout_date\":null}"; } | nc-alert $NOW --all >out
	test "$(jq -sr "map(\"\(.level)/\(.urgency)\") | join(\" \")" out)" = "VERMELHO/critical VERMELHO/low"
	jq -se ".[1].days_to_rupture == 0 and .[1].days_to_stockout == 190" out
'

expect_code 3 'invalid dates are rejects, not ignored' '
	{ row "{\"item_id\":\"d1\",\"stockout_date\":\"2026-11-31\"}"
	  row "{\"item_id\":\"d2\",\"as_of\":\"2026-11-31\"}"
	  row "{\"item_id\":\"d3\",\"stockout_date\":\"0\"}"
	  row "{\"item_id\":\"d4\",\"stockout_date\":20261201}"
	  row "{\"item_id\":\"d5\",\"as_of\":\"27/11/2026\"}"
	  row "{\"item_id\":\"ok\",\"stockout_date\":\"2026-12-01\"}"; } >dates
	nc-alert $NOW --all -r rej dates >out 2>err
'
expect_success '... each with its reason, the valid record kept' '
	test "$(jq -sr "map(._reject.item_id) | join(\" \")" rej)" = "d1 d2 d3 d4 d5"
	jq -se "map(.reason) == [\"stockout_date: not a valid date: '"'"'2026-11-31'"'"'\",
	    \"as_of: not a valid date: '"'"'2026-11-31'"'"'\",
	    \"stockout_date: not a valid date: '"'"'0'"'"'\",
	    \"stockout_date: not a date string\",
	    \"as_of: not a valid date: '"'"'27/11/2026'"'"'\"]" rej
	test "$(jq -r .item_id out)" = ok
	grep -q "5 records rejected" err
'

expect_success 'sob encomenda: no buy-now alert; an order to place when one is recommended' '
	row "{\"stocking\":\"sob encomenda\",\"current_stock\":0,\"recommended_order_qty\":0}" >enc
	nc-alert $NOW --all <enc >out
	jq -e ".level == \"ENCOMENDA\"" out
	jq -e ".reason == \"sob encomenda: não manter estoque, compre a cada requisição (previsão 1 por dia, prazo de entrega 14 dias)\"" out
	nc-alert $NOW <enc >out
	test ! -s out
	row "{\"stocking\":\"sob encomenda\",\"current_stock\":0,\"recommended_order_qty\":5}" >enc5
	nc-alert $NOW <enc5 >out
	jq -e ".level == \"ENCOMENDA\" and .reason == \"sob encomenda: encomende 5 para as requisições, sem manter estoque (prazo de entrega 14 dias)\"" out
	row "{\"stocking\":\"estoque\",\"current_stock\":0}" | nc-alert $NOW >out
	jq -e ".level == \"VERMELHO\"" out
'

expect_success 'a VERMELHO that turns sob encomenda is resolved in the state file' '
	row "{\"current_stock\":0}" | nc-alert $NOW --state st >out
	jq -e ".alerts | has(\"a\")" st
	nc-alert $NOW --state st <enc >out
	test ! -s out
	jq -e ".alerts == {}" st
	nc-alert $NOW --state st <enc5 >out
	jq -e ".alerts.a.level == \"ENCOMENDA\"" st
	nc-alert $NOW --state st <enc5 >out
	test ! -s out
	row "{\"current_stock\":0}" | nc-alert $NOW --state st >out
	jq -e ".level == \"VERMELHO\"" out
	nc-alert $NOW --state st <enc5 >out
	jq -e ".level == \"ENCOMENDA\"" out
'

expect_success 'one_off: never a stock alert on a one-off lump; false or absent as before' '
	{ row "{\"item_id\":\"lump\",\"one_off\":true,\"current_stock\":0}"
	  row "{\"item_id\":\"rate\",\"one_off\":false,\"current_stock\":0}"
	  row "{\"item_id\":\"none\",\"current_stock\":0}"; } >oo
	nc-alert $NOW --all <oo >out
	test "$(jq -sr "map(.level) | join(\" \")" out)" = "VERDE VERMELHO VERMELHO"
	jq -se ".[0].reason | test(\"^requisição pontual\")" out
	nc-alert $NOW <oo >out
	test "$(jq -sr "map(.item_id) | join(\" \")" out)" = "rate none"
'

expect_code 3 'stocking and one_off of the wrong kind are rejects' '
	{ row "{\"item_id\":\"s\",\"stocking\":\"consignado\"}"
	  row "{\"item_id\":\"o\",\"one_off\":\"yes\"}"; } | nc-alert $NOW --all -r rej2 >out 2>err
'
expect_success '... with their reasons' '
	jq -se "map(.reason) == [\"stocking: not \\\"estoque\\\" or \\\"sob encomenda\\\"\",
	    \"one_off: not true, false or null\"]" rej2
'

expect_code 3 '-k item_id: a second row of the same item is a reject, not a second alert' '
	{ row "{\"site_id\":\"S1\",\"current_stock\":0}"
	  row "{\"site_id\":\"S2\",\"current_stock\":0}"; } >sites
	nc-alert $NOW -k item_id -r rej3 --state st3 sites >out 2>err
'
expect_success '... with the line of the first; -k item_id,site_id keeps both' '
	test $(wc -l <out) = 1
	jq -e ".site_id == null and .item_id == \"a\"" out
	jq -e ".reason | startswith(\"duplicate key: '"'"'a'"'"' already on line 1\")" rej3
	jq -e ".alerts | keys == [\"a\"]" st3
	nc-alert $NOW -k item_id,site_id sites >out
	test $(wc -l <out) = 2
'

expect_success 'stockout probability: normal over lead time + review, P(D > position)' '
	{ row "{\"item_id\":\"half\",\"current_stock\":21,\"lead_time_demand\":14,
	      \"daily_demand_sd\":2.182178902,\"reorder_point\":60,\"order_up_to\":100,
	      \"recommended_order_qty\":79}"
	  row "{\"item_id\":\"onesd\",\"current_stock\":31,\"daily_demand_sd\":2.182178902,
	      \"reorder_point\":60,\"order_up_to\":100,\"recommended_order_qty\":69}"
	  row "{\"item_id\":\"nocost\",\"current_stock\":0,\"cost\":null}"; } |
	    nc-alert $NOW --all >out
	jq -se ".[0].stockout_probability == 0.5 and .[0].order_value == 790 and .[0].value_at_risk == 395" out
	jq -se ".[1].stockout_probability == 0.1587 and .[1].value_at_risk == 109.4721" out
	jq -se ".[2].stockout_probability == 1 and .[2].value_at_risk == null" out
'

done_testing
