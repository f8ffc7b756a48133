#!/bin/sh
# nc-alert: the levels at their boundaries, urgency, reasons, formats,
# and the cases every filter must get right.
. "$(dirname "$0")/lib.sh"
NOW=--now=2026-11-27T06:00:00Z

# rec ITEM STOCK PP [SS D LT STOCKOUT OUT]: a reorder record (order-up-to
# level OUT, default PP + 50).
rec() {
	jq -nc --arg i "$1" --argjson s "$2" --argjson pp "$3" --argjson ss "${4:-20}" \
		--argjson d "${5:-1}" --argjson lt "${6:-14}" --arg so "${7:-}" \
		--argjson out "${8:-null}" \
		'{item_id: $i, item_name: "PECA \($i)", as_of: "2026-11-26", current_stock: $s,
		  lead_time_days: $lt, avg_daily_demand: $d, safety_stock: $ss, reorder_point: $pp,
		  order_up_to: ($out // ($pp + 50)),
		  recommended_order_qty: ([0, ($out // ($pp + 50)) - $s] | max),
		  days_of_cover: (if $d > 0 then $s / $d else null end),
		  stockout_date: (if $so == "" then null else $so end)}'
}

expect_success 'boundaries: > 1.2 PP VERDE, (0.8 PP, 1.2 PP] AMARELO, <= 0.8 PP VERMELHO' '
	{ rec a 121 100; rec b 120 100; rec c 81 100; rec d 80 100; rec e 0 100
	  rec f 158.4 132; rec g 105.6 132; rec h 105.61 132; rec i 158.41 132; } >in &&
	nc-alert $NOW --all <in >out &&
	jq -sr "map(.level) | join(\" \")" out >levels &&
	echo "VERDE AMARELO AMARELO VERMELHO VERMELHO AMARELO VERMELHO AMARELO VERDE" >want &&
	cmp_files want levels
'

expect_success 'the factors can be set' '
	{ rec a 151 100 20 1 14 "" 200; rec b 150 100 20 1 14 "" 200; rec c 50 100; } |
	nc-alert $NOW --all --yellow-factor 1.5 --red-factor 0.5 >out &&
	test "$(jq -sr "map(.level) | join(\" \")" out)" = "VERDE AMARELO VERMELHO"
'

expect_success 'a stockout projected within the lead time is VERMELHO whatever the ratio' '
	{ rec a 500 100 20 1 14 2026-12-10; rec b 500 100 20 1 14 2026-12-11; } | nc-alert $NOW --all >out &&
	test "$(jq -sr "map(.level) | join(\" \")" out)" = "VERMELHO VERDE" &&
	jq -se ".[0].reason | test(\"ruptura prevista em 2026-12-10, dentro do prazo de entrega de 14 dias\")" out
'

expect_success 'out of stock, nothing on order: the reason and the summary say now, not a date' '
	rec a 0 100 20 1 14 2026-12-07 | nc-alert $NOW --all --summary sum >out &&
	jq -e ".level == \"VERMELHO\" and (.reason | startswith(\"sem estoque e sem pedido em aberto: compre já\"))" out &&
	grep " a  " sum | grep -q " já\$" &&
	rec b 5 100 20 1 14 2026-12-07 | nc-alert $NOW --all --summary sum2 >out2 &&
	jq -e ".reason | startswith(\"ruptura prevista em 2026-12-07\")" out2 &&
	grep -q " 07/12\$" sum2
'

expect_success 'urgency from the slack, days to stockout - lead time: <= 0, < 7, < 30' '
	{ rec a 14 100 20 1; rec b 20.9 100 20 1; rec c 21 100 20 1; rec d 43.9 100 20 1
	  rec e 44 100 20 1; rec f 10 100 20 0; } | nc-alert $NOW --all >out &&
	test "$(jq -sr "map(.urgency) | join(\" \")" out)" = "critical high medium medium low low" &&
	jq -se ".[1].days_to_stockout == 20.9 and .[5].days_to_stockout == null" out
'

expect_success 'days to stockout from stockout_date - as_of when nc-reorder projected one' '
	{ rec a 90 100 20 1 14 2026-12-16; rec b 90 100 20 1 14 2026-12-31; } |
	nc-alert $NOW --all >out &&
	test "$(jq -sr "map(\"\(.days_to_stockout) \(.urgency)\") | join(\",\")" out)" = "20 high,35 medium"
'

expect_success 'stock below the safety stock alone is not critical (the old rule)' '
	rec a 19 100 20 0.1 14 >in && nc-alert $NOW --all <in >out &&
	jq -e ".level == \"VERMELHO\" and .days_to_rupture == 0 and .urgency == \"low\"" out
'

expect_success 'days_to_rupture keeps the company formula (stock - SS) / d' '
	rec a 40 132 20 2 >in && nc-alert $NOW --all <in >out &&
	jq -e ".days_to_rupture == 10 and .days_to_stockout == 20" out
'

expect_success 'reasons in Portuguese by default, English with --lang en' '
	rec a 40 132 >in &&
	nc-alert $NOW <in >pt && nc-alert $NOW --lang en <in >en &&
	jq -e ".reason == \"estoque 40 <= 0.8 x ponto de pedido 132 (105.6): compre já\"" pt &&
	jq -e ".reason == \"stock 40 <= 0.8 x reorder point 132 (105.6): buy now\"" en
'

expect_success 'the alert record: fields and a stable alert_id' '
	rec a 40 132 >in && nc-alert $NOW <in >out &&
	jq -e "keys_unsorted == [\"alert_id\",\"item_id\",\"item_name\",\"level\",\"urgency\",\"reason\",\"current_stock\",\"reorder_point\",\"safety_stock\",\"recommended_order_qty\",\"days_of_cover\",\"days_to_rupture\",\"stockout_date\",\"days_to_stockout\",\"stockout_probability\",\"order_value\",\"value_at_risk\",\"created_at\"] and
		.alert_id == \"a|VERMELHO|2026-11-27\" and .created_at == \"2026-11-27T06:00:00Z\" and .days_to_rupture == 20" out
'

expect_success 'by default VERDE is not emitted' '
	{ rec a 500 100; rec b 100 100; } | nc-alert $NOW >out &&
	test $(wc -l <out) = 1 && jq -e ".item_id == \"b\"" out
'

expect_success '--format text: one line per alert for mail' '
	{ rec a 40 132; rec b 500 100; } | nc-alert $NOW --format text >out &&
	test $(wc -l <out) = 1 &&
	grep -qx "VERMELHO \[medium\] a PECA a: estoque 40 <= 0.8 x ponto de pedido 132 (105.6): compre já; comprar 142, cobertura 40 dias" out
'

expect_success '--format text with -k item_id,site_id: a null site shows as -' '
	{ rec a 40 132 | jq -c ".site_id = null"; rec a 40 132 | jq -c ".site_id = \"S1\""; } |
	nc-alert $NOW -k item_id,site_id --format text | cut -d: -f1 >out &&
	printf "%s\n" "VERMELHO [medium] a|- PECA a" "VERMELHO [medium] a|S1 PECA a" >want &&
	cmp_files want out
'

expect_code 3 'a key field that is an object or array is a reject' '
	rec a 40 132 | jq -c ".site_id = {\"x\": 1}" | nc-alert $NOW -k item_id,site_id -r rej >out 2>err' '
	test ! -s out && jq -e ".reason == \"site_id: not a string, number or null\"" rej
'

expect_success '--format slack: {"text": ...}' '
	rec a 40 132 | nc-alert $NOW --format slack --lang en >out &&
	jq -e "keys == [\"text\"] and (.text | startswith(\"VERMELHO [medium] a PECA a: stock 40\"))" out
'

expect_code 4 '-e exits 4 when an alert was emitted' 'rec a 40 132 | nc-alert -e $NOW >/dev/null'
expect_code 0 '-e exits 0 when none was' 'rec a 400 132 | nc-alert -e $NOW >/dev/null'

expect_success 'nc-reorder | nc-alert on the forecast fixtures' '
	nc-reorder --lead-time 10 $FIXTURES/reorder/forecast.ndjson | nc-alert $NOW --all >out &&
	test $(wc -l <out) = 5 && jq -se "map(.level) | index(\"VERMELHO\") != null" out
'

expect_success 'empty input: no output, exit 0' 'nc-alert $NOW </dev/null >out && test ! -s out'

expect_code 3 'malformed lines and records without reorder_point are rejects' '
	{ echo "{"; echo "{\"item_id\":\"x\",\"current_stock\":3}"; echo "{\"current_stock\":3,\"reorder_point\":1}"; rec a 40 132; } |
	nc-alert $NOW -r rej >out 2>err' '
	test $(wc -l <out) = 1 && test $(wc -l <rej) = 3 &&
	jq -se "map(.reason) | .[1:] == [\"reorder_point: missing or not a number\", \"item_id: missing\"]" rej
'

expect_success '| head -n1 ends quietly; a full disk is an error' '
	rec x 10 100 >one &&
	LC_ALL=C awk "{ for (i = 0; i < 3000; i++) { s = \$0; sub(/\"x\"/, \"\\\"i\" i \"\\\"\", s); print s } }" one >many &&
	test $(sort -u many | wc -l) = 3000 &&
	head_is_quiet nc-alert $NOW many && full_disk_fails nc-alert $NOW many
'

# The demo's reorder records (fixtures/alert/PROVENANCE.md): each alert
# names its item as the reorder record does, and the buyer's spreadsheet
# (nc-csv --excel) shows the name beside the code.
expect_success 'the demo'"'"'s reorder records: alerts carry item_name to the spreadsheet' '
	nc-alert -k item_id --now 2025-10-25T06:00:00Z "$FIXTURES/alert/reorder-demo.ndjson" >al
	cmp_files "$FIXTURES/csv/alerts-demo.ndjson" al
	jq -r "[.item_id, .item_name] | @tsv" "$FIXTURES/alert/reorder-demo.ndjson" >want
	jq -r "[.item_id, .item_name] | @tsv" al >got
	cmp_files want got
	nc-csv --to-csv --excel -f item_id,item_name,level al >al.csv
	sed -n 2p al.csv >row
	printf "%s\r\n" "\"=\"\"010000\"\"\";CLIPS CROSBY 3/8;VERMELHO" >want
	cmp_files want row
'

expect_code 2 'a bad flag is a usage error' 'nc-alert --bogus </dev/null'
expect_code 2 'a red factor above the yellow one is a usage error' 'nc-alert --red-factor 1.5 </dev/null'
expect_code 2 'a bad --format is a usage error' 'nc-alert --format xml </dev/null'
expect_code 2 'a bad --lang is a usage error' 'nc-alert --lang fr </dev/null'

cd "$SRC_DIR" || exit 1
run_man_examples "$SRC_DIR/man/nc-alert.1"
done_testing
