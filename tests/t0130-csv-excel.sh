#!/bin/sh
# nc-csv --to-csv --excel: what Excel's General format (Brazilian locale)
# would change is written so that it opens as written: text codes as
# ="...", the decimal points of numbers inside text as commas; numbers
# stay numbers.  On the real ERP export and on the demo's alert records
# (tests/fixtures/csv/PROVENANCE.md).  The expected cells are written by
# hand from the rules of nc-csv(1), EXCEL.
#
# Checked once by hand in a real spreadsheet (not here: no test needs an
# office suite): LibreOffice Calc 7.4 (Debian libreoffice-calc-nogui),
# language pt-BR, special numbers detected, formulas evaluated,
#   soffice --headless --infilter="CSV:59,34,76,1,,1046,false,true,false,false,false,-1,true" \
#       --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,1033,true,true,false' x.csv
# (text cells come out quoted) read 000123, 40140-110, 3/8 and a =HYPERLINK
# item name as text, 2,5 as the number 2.5 and 2025-10-20 as a date; the
# same cells written plainly gave 123 and the date 08/03/2026 for 3/8.
. "$(dirname "$0")/lib.sh"
F=$FIXTURES/csv
CR=$(printf '\r')

expect_success 'ERP export: item codes with leading zeros as ="...", quantities numbers' '
	nc-csv "$F/requisicoes-head.csv" >mid
	nc-csv --to-csv --excel mid >out
	sed -n 2p out >row
	printf "%s\r\n" "BAJSS002-3;\"=\"\"010825\"\"\";\"PREGO 2.1/2\"\"X10MM\";MATERIAL CIVIL;L.M.C LEMOS MATERIAIS PARA CONSTRUCAO;10,0;UN;;94657;2024-12-02;2024-12-02" >want
	cmp_files want row
	grep -c "^BAJSS002-4;\"=\"\"0001\"\"\";SERVIÇOS TOMADOS;" out >n
	test "$(cat n)" = 4
'

expect_success 'ERP export: every item code is a ="..." cell, no quantity is' '
	nc-csv "$F/requisicoes-head.csv" >mid
	nc-csv --to-csv --excel mid >out
	sed 1d out | cut -d ";" -f 2 | sort -u >codes
	refute grep -v "^\"=\"\"[0-9]*\"\"\"$" codes
	sed 1d out | cut -d ";" -f 6,9 >nums
	refute grep "=" nums
	grep -q "^1643,4;94631\$" nums
'

expect_success 'alerts: reasons with decimal commas, codes as text, names kept' '
	nc-csv --to-csv --excel "$F/alerts-demo.ndjson" >out
	head -n 1 out >hdr
	grep -q "^.*alert_id;item_id;item_name;level;urgency;reason;current_stock;" hdr
	grep -q "^010000|VERMELHO|2025-10-25;\"=\"\"010000\"\"\";CLIPS CROSBY 3/8;VERMELHO;critical;sem estoque e sem pedido em aberto: compre já (prazo de entrega de 16,62 dias);0,0;68,6211;" out
	grep -q ";\"=\"\"010006\"\"\";SUPORTE PARA TRAVAQUEDAS 500MM GF;VERMELHO;low;estoque 17 <= 0,8 x ponto de pedido 32,03 (25,63): compre já;17,0;" out
	grep -q "(149,82): planeje a compra;106,0;124,8496;" out
'

expect_success 'alerts: sizes in item names follow the comma, fractions do not' '
	nc-csv --to-csv --excel "$F/alerts-demo.ndjson" >out
	grep -q ";ABRACADEIRA HELLERMAN PRETA 7,6 x 300;" out
	grep -q ";IMPERMEABILIZANTE NEUTROL PRETO 3,6L;" out
	grep -q ";PINCEL / TRINCHA 1.1/2'"''"';" out
	grep -q ";\"PARAFUSO SEXTAVADO 3/4 X 3\"\"  A325 R.I GF COMPLETO\";" out
'

expect_success 'without --excel, text is written as it is' '
	nc-csv --to-csv "$F/alerts-demo.ndjson" >out
	grep -q ",010000,CLIPS CROSBY 3/8,VERMELHO,critical,sem estoque e sem pedido em aberto: compre já (prazo de entrega de 16.62 dias),0.0," out
	grep -q ",ABRACADEIRA HELLERMAN PRETA 7.6 x 300," out
	refute grep -q "=\"" out
'

expect_success 'text Excel would take for a number, date or fraction; dates stay dates' '
	printf "%s\n" "{\"item_id\":\"000123\",\"cep\":\"40140-110\",\"size\":\"3/8\",\"big\":\"123456789012345678901\",\"pct\":\"10%\",\"exp\":\"1e5\",\"date\":\"2025-10-20\",\"at\":\"2025-10-25T06:00:00Z\",\"qty\":69.0,\"n\":17}" >in
	nc-csv --to-csv --excel in >out
	printf "\357\273\277item_id;cep;size;big;pct;exp;date;at;qty;n\r\n" >want
	printf "%s\r\n" "\"=\"\"000123\"\"\";\"=\"\"40140-110\"\"\";\"=\"\"3/8\"\"\";\"=\"\"123456789012345678901\"\"\";\"=\"\"10%\"\"\";\"=\"\"1e5\"\"\";2025-10-20;2025-10-25T06:00:00Z;69,0;17" >>want
	cmp_files want out
'

expect_success 'text that starts like a formula is written inert, as text' '
	printf "%s\n" "{\"a\":\"=HYPERLINK(\\\"http://x\\\",\\\"y\\\")\",\"b\":\"+55 71 3333\",\"c\":\"-x\",\"d\":\"@SUM(A1)\"}" >in
	nc-csv --to-csv --excel in >out
	sed -n 2p out >row
	printf "%s\r\n" "\"=\"\"=HYPERLINK(\"\"\"\"http://x\"\"\"\",\"\"\"\"y\"\"\"\")\"\"\";\"=\"\"+55 71 3333\"\"\";\"=\"\"-x\"\"\";\"=\"\"@SUM(A1)\"\"\"" >want
	cmp_files want row
'

expect_success 'formula-like text past 255 characters gets an apostrophe' '
	long=$(printf "=%0300d" 0)
	printf "{\"a\":\"%s\"}\n" "$long" >in
	nc-csv --to-csv --excel in >out
	sed -n 2p out >row
	printf "%s\r\n" "'"'"'$long" >want
	cmp_files want row
'

expect_success 'numbers in text: versions, glued codes and addresses are left alone' '
	printf "%s\n" "{\"t\":\"v1.2 e 1.2.3; -2.5 e 10.0.0.1 A1.5 as 06:00:00.5\"}" >in
	nc-csv --to-csv --excel in >out
	sed -n 2p out >row
	printf "%s\r\n" "\"v1.2 e 1.2.3; -2,5 e 10.0.0.1 A1.5 as 06:00:00.5\"" >want
	cmp_files want row
'

expect_success 'reading back: ="..." cells are their text, as strings' '
	nc-csv --to-csv --excel "$F/alerts-demo.ndjson" >x.csv
	nc-csv --decimal-comma x.csv >back
	jq -r .item_id back >ids
	printf "%s\n" 010000 010006 010045 010513 010871 010896 >want
	cmp_files want ids
	jq -e ".current_stock | numbers" back >/dev/null
	printf "id;n\r\n=\"00123\";=\"a\"\"b\"\r\n" >t.csv
	nc-csv t.csv >got
	printf "%s\n" "{\"id\":\"00123\",\"n\":\"a\\\"b\"}" >want
	cmp_files want got
'

expect_success 'round trip of codes and formula-like text through --excel' '
	printf "%s\n" "{\"item_id\":\"000123\",\"site_id\":\"0042\",\"name\":\"=1+1\",\"q\":2.5}" >in
	nc-csv --to-csv --excel in >x.csv
	nc-csv --decimal-comma x.csv >out
	cmp_files in out
'

done_testing
