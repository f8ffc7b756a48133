#!/bin/sh
# nc-alert --top N (ranked by value at risk) and --summary FILE (the
# buyer's daily screen, in Portuguese), on hand-made reorder rows.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/alert-lib.sh"
NOW=--now=2026-11-27T06:00:00Z

# Certain stockouts (stock 0: probability 1), so that value at risk is
# the order value: cheap 100, dear 5000, mid 1000; half: 0.5 x 790 = 395;
# an AMARELO (stock 40.5, probability ~0.0003) last; a VERDE never ranked.
{
	row '{"item_id":"cheap","item_name":"ARRUELA","current_stock":0,"recommended_order_qty":100,"cost":1}'
	row '{"item_id":"dear","item_name":"CONECTOR ÓPTICO DE ALTA PERDA 12 FIBRAS","current_stock":0,"recommended_order_qty":50,"cost":100,"stockout_date":"2026-11-28"}'
	row '{"item_id":"half","item_name":"CABO","current_stock":21,"daily_demand_sd":2.182178902,"reorder_point":60,"order_up_to":100,"recommended_order_qty":79}'
	row '{"item_id":"mid","item_name":"PARAFUSO","current_stock":0,"recommended_order_qty":10,"cost":100}'
	row '{"item_id":"amber","item_name":"FITA","current_stock":40.5}'
	row '{"item_id":"green","item_name":"BRACO","current_stock":41}'
	row '{"item_id":"bad","as_of":"2026-02-30"}'
} >in

expect_success '--top N: the N alerts of highest value at risk, best first' '
	nc-alert $NOW --top 3 -m 1 in >out
	test "$(jq -sr "map(\"\(.item_id):\(.value_at_risk)\") | join(\" \")" out)" = "dear:5000 mid:1000 half:395"
'

expect_success '--top larger than the alerts: all of them, ranked; VERDE only with --all' '
	nc-alert $NOW --top 10 -m 1 in >out
	test "$(jq -sr "map(.item_id) | join(\" \")" out)" = "dear mid half cheap amber"
	nc-alert $NOW --all --top 10 -m 1 in >out
	test "$(jq -sr "map(.item_id) | join(\" \")" out)" = "dear mid half cheap amber green"
'

expect_success 'ties in value at risk: the likelier stockout first, then the sooner' '
	{ row "{\"item_id\":\"p50\",\"current_stock\":21,\"daily_demand_sd\":2.182178902,
	      \"reorder_point\":60,\"order_up_to\":100,\"recommended_order_qty\":20}"
	  row "{\"item_id\":\"late\",\"current_stock\":0,\"recommended_order_qty\":10,\"stockout_date\":\"2026-11-29\"}"
	  row "{\"item_id\":\"soon\",\"current_stock\":0,\"recommended_order_qty\":10,\"stockout_date\":\"2026-11-27\"}"; } |
	    nc-alert $NOW --top 3 >out
	test "$(jq -sr "map(\"\(.item_id):\(.value_at_risk)\") | join(\" \")" out)" = "soon:100 late:100 p50:100"
'

expect_success '--top with --state: an alert left out is not marked sent, and comes next' '
	nc-alert $NOW --state st --top 2 -m 1 in >out
	test "$(jq -sr "map(.item_id) | join(\" \")" out)" = "dear mid"
	jq -e ".alerts | keys == [\"dear\", \"mid\"]" st
	nc-alert $NOW --state st --top 2 -m 1 in >out
	test "$(jq -sr "map(.item_id) | join(\" \")" out)" = "half cheap"
'

expect_success '--summary FILE: counts per level, order values, the top N with names' '
	nc-alert $NOW --summary sum --top 3 -m 1 in >out 2>err
	test $(wc -l <out) = 3
	cat >want <<-\EOF
	Alertas de estoque em 2026-11-27: 7 séries lidas, 1 rejeitadas
	  VERMELHO   compre já                            4   pedidos R$ 6.890
	  AMARELO    planeje a compra                     1   pedidos R$ 10
	  ENCOMENDA  sob encomenda: compre a pedido       0
	  VERDE      sem ação                             1
	  Valor total dos pedidos a fazer (VERMELHO + AMARELO): R$ 6.900
	As 3 de maior valor em risco (valor do pedido x chance de ruptura no prazo):
	 # nível    item            material           comprar chance     em risco ruptura
	 1 VERMELHO dear            CONECTOR ÓPTICO D~      50   100%     R$ 5.000     já
	 2 VERMELHO mid             PARAFUSO                10   100%     R$ 1.000     já
	 3 VERMELHO half            CABO                    79    50%       R$ 395       -
	EOF
	cmp_files want sum
'

expect_success '--summary counts every series, also those the state keeps quiet' '
	nc-alert $NOW --state st2 -m 1 in >out
	nc-alert $NOW --state st2 --summary sum2 -m 1 in >out
	test ! -s out
	grep -q "^  VERMELHO   compre já  *4 " sum2
'

expect_success '--summary -: on standard error; sob encomenda and one-off counted' '
	{ row "{\"item_id\":\"e\",\"stocking\":\"sob encomenda\",\"recommended_order_qty\":0}"
	  row "{\"item_id\":\"f\",\"stocking\":\"sob encomenda\",\"recommended_order_qty\":3}"
	  row "{\"item_id\":\"o\",\"one_off\":true}"; } | nc-alert $NOW --summary - >out 2>err
	test "$(jq -r .item_id out)" = f
	grep -q "^  ENCOMENDA  sob encomenda: compre a pedido       2   encomendas R\$ 30$" err
	grep -q "^  VERDE      sem ação                             1   (1 requisições pontuais)$" err
	grep -q "^Nenhuma série pede compra hoje.$" err
'

expect_success '--summary: orders without a cost are counted apart' '
	row "{\"current_stock\":0,\"cost\":null}" | nc-alert $NOW --summary s3 >out
	grep -q "^  (1 pedidos sem custo unitário ficaram fora do total)$" s3
'

expect_code 1 '--summary to a file that cannot be written: exit 1' '
	nc-alert $NOW --summary /nonexistent/dir/sum -m 1 in >out 2>err
'
expect_success '... with an error line, the alerts still written' '
	grep -q "^nc-alert: error: /nonexistent/dir/sum" err
	test $(wc -l <out) = 5
'

expect_code 2 '--top 0 is a usage error' 'nc-alert --top 0 </dev/null'
expect_code 2 '--top x is a usage error' 'nc-alert --top x </dev/null'

done_testing
