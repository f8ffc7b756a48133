#!/bin/sh
# t0910-demo: scripts/demo on the bundled sample.  The expected numbers are
# measured here, independently of nc, with python3's csv module.
. "$(dirname "$0")/lib.sh"

CSV=$SRC_DIR/data/sample/requisicoes-2024-2025.csv
DEMO=$TRASH/demo

# facts.sh: shell assignments of what the CSV says the demo must produce.
python3 - "$CSV" >facts.sh <<'PY'
import csv, sys, collections
from datetime import date

rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8", newline="")))
mat = [r for r in rows if r["U.M."] != "SR"]
dated = [r for r in mat if r["DATA SOLICITADO"]]
groups = collections.OrderedDict()
for r in dated:
    key = (r["PRODUTO/SERVIÇO"], r["DEPÓSITO"], r["DATA SOLICITADO"])
    groups.setdefault(key, []).append(r)

def lead(r):
    if not r["DATA DE COMPRA"]:
        return None
    d = (date.fromisoformat(r["DATA DE COMPRA"])
         - date.fromisoformat(r["DATA SOLICITADO"])).days
    return d if d >= 0 else None

qty = 0
no_lead = 0
for rs in groups.values():
    qty += int(round(sum(float(r["QUANTIDADE"]) for r in rs), 3))
    if all(lead(r) is None for r in rs):
        no_lead += 1
zero = sorted(k for k in groups if k[0].startswith("0"))[0]
facts = {
    "rows": len(rows),
    "services": len(rows) - len(mat),
    "undated": len(mat) - len(dated),
    "groups": len(groups),
    "items": len({r["PRODUTO/SERVIÇO"] for r in dated}),
    "sites": len({r["DEPÓSITO"] for r in dated if r["DEPÓSITO"]}),
    "first": min(r["DATA SOLICITADO"] for r in dated),
    "last": max(r["DATA SOLICITADO"] for r in dated),
    "negative": sum(1 for r in dated if r["DATA DE COMPRA"]
                    and r["DATA DE COMPRA"] < r["DATA SOLICITADO"]),
    "qty": qty,
    "no_lead": no_lead,
    "zero_item": zero[0],
    "zero_site": zero[1],
    "zero_date": zero[2],
    "zero_qty": int(round(sum(float(r["QUANTIDADE"]) for r in groups[zero]), 3)),
}
for k, v in facts.items():
    print("%s='%s'" % (k, v))
PY
. ./facts.sh

expect_success 'the sample is the 4,207-row export' '
	test "$rows" = 4207 && test "$services" -gt 0 && test "$groups" -gt 0
'

expect_success 'scripts/demo runs on the sample' '
	NC_DEMO_DIR="$DEMO" "$SRC_DIR/scripts/demo" "$NC_BIN" >summary.txt 2>demo.err ||
		{ cat demo.err summary.txt; exit 1; }
	test -s "$DEMO/silver.ndjson"
'

expect_success 'nc-csv read every row' '
	test "$(wc -l <"$DEMO/bronze.ndjson")" = "$rows"
'

expect_success 'item-day records: one per (item, site, day), undated lines alone' '
	test "$(wc -l <"$DEMO/items.ndjson")" = $((groups + undated))
'

expect_success "silver has $groups records, one per (item, site, day)" '
	test "$(wc -l <"$DEMO/silver.ndjson")" = "$groups"
	n=$(jq -s "map([.item_id, .site_id, .date]) | unique | length" "$DEMO/silver.ndjson")
	test "$n" = "$groups"
'

expect_success "the $undated lines without a request date are rejected, for their date" '
	n=$(jq -s "map(select(.reason != \"superseded\")) | length" "$DEMO/rejects.ndjson")
	test "$n" = "$undated"
	n=$(jq -s "map(select(.reason | startswith(\"date\"))
		| select(._reject.date == null)
		| select(.tool == \"nc-transform\" and (.line | type) == \"number\"))
		| length" "$DEMO/rejects.ndjson")
	test "$n" = "$undated"
'

expect_success 'records in = out + rejected + superseded (nc-transform -v)' '
	line=$(grep " in, " "$DEMO/transform.log")
	in=$(echo "$line" | sed "s/.*: \([0-9]*\) in,.*/\1/")
	out=$(echo "$line" | sed "s/.* \([0-9]*\) out,.*/\1/")
	rej=$(echo "$line" | sed "s/.* \([0-9]*\) rejected.*/\1/")
	sup=$(echo "$line" | sed "s/.* \([0-9]*\) superseded.*/\1/")
	test "$in" = $((groups + undated))
	test "$out" = "$groups"
	test "$rej" = "$undated"
	test $((out + rej + sup)) = "$in"
	grep -q "in = out + rejected + superseded *yes" summary.txt
'

expect_success 'every silver record has a stock_status that fits current_stock' '
	n=$(jq -s "map(select(.stock_status == null or
		(.current_stock <= 0) != (.stock_status == \"OUT_OF_STOCK\") or
		(.current_stock > 0 and .current_stock <= 10) != (.stock_status == \"LOW_STOCK\")))
		| length" "$DEMO/silver.ndjson")
	test "$n" = 0
'

expect_success 'every silver record has total_value, unit_cost and loaded_at' '
	n=$(jq -s "map(select(has(\"total_value\") and has(\"unit_cost\")
		and (.loaded_at | type) == \"string\")) | length" "$DEMO/silver.ndjson")
	test "$n" = "$groups"
'

expect_success "the quantities add up to $qty (day sums, cast to integer)" '
	test "$(jq -s "map(.quantity) | add" "$DEMO/silver.ndjson")" = "$qty"
'

expect_success "$no_lead records have no lead time ($negative lines were negative)" '
	n=$(jq -s "map(select(.lead_time_days == null)) | length" "$DEMO/silver.ndjson")
	test "$n" = "$no_lead"
	n=$(jq -s "map(select(.lead_time_days != null and .lead_time_days < 0)) | length" \
		"$DEMO/silver.ndjson")
	test "$n" = 0
'

expect_success "item $zero_item keeps its leading zero" '
	n=$(jq -c --arg i "$zero_item" --arg s "$zero_site" --arg d "$zero_date" \
		"select(.item_id == \$i and (.site_id // \"\") == \$s and .date == \$d)
		| .quantity" "$DEMO/silver.ndjson")
	test "$n" = "$zero_qty"
'

expect_success 'the summary gives items, sites and dates' '
	grep -Eq "items +$items\$" summary.txt
	grep -Eq "sites +$sites " summary.txt
	grep -Eq "dates +$first \.\. $last\$" summary.txt
	grep -q "first 3 records" summary.txt
	test "$(grep -c "^{" summary.txt)" = 3
'

expect_success 'a second run gives the same silver records' '
	NC_DEMO_DIR="$TRASH/again" "$SRC_DIR/scripts/demo" "$NC_BIN" >/dev/null 2>&1
	cmp_files "$DEMO/silver.ndjson" "$TRASH/again/silver.ndjson"
'

expect_code 2 'scripts/demo without BIN_DIR is a usage error' '
	NC_DEMO_DIR="$TRASH/x" "$SRC_DIR/scripts/demo"
'

expect_code 1 'scripts/demo with a BIN_DIR lacking the programs fails' '
	mkdir -p empty
	NC_DEMO_DIR="$TRASH/y" PATH=/usr/bin:/bin "$SRC_DIR/scripts/demo" empty
'

done_testing
