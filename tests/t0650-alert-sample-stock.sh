#!/bin/sh
# scripts/nc-sample-map's synthetic stock (data/sample/README): per item,
# a cover of the item's own demand drawn from its code, on hand-made export
# rows whose expected stocks are worked out below by hand, and on the
# bundled sample: the same on every row of an item, some at zero, some
# overstocked.
. "$(dirname "$0")/lib.sh"

# line ITEM SITE DATE QTY: one material line of the export, as nc-csv
# writes it.
line() {
	jq -nc --arg i "$1" --arg s "$2" --arg d "$3" --arg q "$4" '{"DEPÓSITO": $s,
	    "PRODUTO/SERVIÇO": $i, MATERIAL: "PECA \($i)", "FAMÍLIA": "F",
	    "NOME FORNEC.": "S", QUANTIDADE: $q, "U.M.": "UN", "DATA SOLICITADO": $d,
	    "DATA DE COMPRA": $d}'
}

# The window is 2025-01-01 .. 2025-04-10, 100 days.
#  000031: n 31, h = 31 x 48271 mod 2147483647 mod 100 = 1 < 3: stock 0.
#  000010: n 10, h = 10; h2 mod 186 = 150: overstocked, 180 + 150 = 330 days;
#          50 units in all, d = 0.5: 330 x 0.5 = 165; upper quartile of
#          its requests 8 (of 8 x 5 and 10) x (1 + h2 mod 3 = 1) = 8;
#          max 165.
#  000007: n 7, h = 97; h2 mod 181 = 96: 60 + 96 = 156 days; 40 units:
#          156 x 0.4 = 62.4; upper quartile of its requests 10 (of 10 and
#          30) x (1 + h2 mod 3 = 1) = 10; max 62.4, up: 63, at both of its
#          sites.
{
	line 000031 A 2025-01-01 5
	for d in 01 02 03 04 05; do line 000010 A 2025-03-$d 8; done
	line 000010 B 2025-04-10 10
	line 000007 A 2025-02-01 30
	line 000007 B 2025-03-01 10
} >export.ndjson

expect_success 'stock per item, from its own demand, the same at every site' '
	nc-sample-map export.ndjson >items
	jq -sr "map(\"\(.item_id) \(.site_id) \(.current_stock)\") | unique | .[]" items >got
	printf "%s\n" "000007 A 63" "000007 B 63" "000010 A 165" "000010 B 165" "000031 A 0" >want
	cmp_files want got
'

expect_success 'on the sample: one stock per item, a few items (3%) at zero' '
	nc-csv --strings "PRODUTO/SERVIÇO,SOLICITAÇÃO" "$SRC_DIR/data/sample/requisicoes-2024-2025.csv" |
	    nc-sample-map >sample
	test "$(jq -s "group_by(.item_id) | map(map(.current_stock) | unique | length) | max" sample)" = 1
	jq -s "group_by(.item_id) | map(.[0].current_stock) | length as \$n |
	    (map(select(. == 0)) | length) as \$z |
	    \$n == 806 and \$z >= 10 and \$z <= 50" sample >ok
	test "$(cat ok)" = true
'

done_testing
