#!/bin/sh
# nc-transform: the seed's stg_items casts, filters and derived fields.
. "$(dirname "$0")/lib.sh"
T=$FIXTURES/transform
NOW=--now=2026-11-27T05:00:00Z

expect_success 'stages the fixture as expected (golden output and rejects)' '
	nc-transform $NOW -m 7 -r rejects <$T/raw.ndjson >out &&
	cmp_files $EXPECTED/transform/raw.out out &&
	cmp_files $EXPECTED/transform/raw.rejects rejects
'

expect_success 'ids become strings, names trimmed, categories lower-cased' '
	nc-transform $NOW -m 7 -r /dev/null <$T/raw.ndjson >out &&
	grep -q "\"item_id\":\"10825\",\"item_name\":\"PREGO 2.1/2\\\\\"X10MM\"" out &&
	grep -q "\"supplier_id\":\"4711\"" out &&
	grep -q "\"category\":\"material elétrico\"" out
'

expect_success 'cost is DECIMAL(10,2) half up; quantity truncates; derived fields' '
	echo "{\"item_id\":\"X\",\"item_name\":\"x\",\"cost\":\"2.345\",\"quantity\":\"3.9\",\"current_stock\":\"10.5\",\"date\":\"2024-06-01\"}" |
	nc-transform $NOW >out &&
	grep -q "\"cost\":2.35,\"quantity\":3,\"current_stock\":10," out &&
	grep -q "\"stock_status\":\"LOW_STOCK\",\"total_value\":7.05,\"unit_cost\":0.7833333333333,\"loaded_at\":\"2026-11-27T05:00:00Z\"" out
'

expect_success 'stock_status thresholds, --low-stock, and null stock' '
	for s in -1 0 1 10 11 null; do
		echo "{\"item_id\":\"S$s\",\"item_name\":\"x\",\"cost\":1,\"quantity\":1,\"current_stock\":$s,\"date\":\"2024-06-01\"}"
	done >in &&
	nc-transform $NOW <in | jq -r "[.current_stock, .stock_status] | @tsv" >got &&
	printf "%s\t%s\n" -1 OUT_OF_STOCK 0 OUT_OF_STOCK 1 LOW_STOCK 10 LOW_STOCK 11 OK "" "" >want &&
	sort got >got.s && sort want >want.s && cmp_files want.s got.s &&
	nc-transform $NOW --low-stock 0 <in | jq -r "select(.current_stock == 1) | .stock_status" >got2 &&
	test "$(cat got2)" = OK
'

expect_success 'unit_cost is null when quantity is 0, total_value 0' '
	echo "{\"item_id\":\"X\",\"item_name\":\"x\",\"cost\":5,\"quantity\":0,\"date\":\"2024-06-01\"}" |
	nc-transform $NOW | jq -e ".unit_cost == null and .total_value == 0"
'

expect_success 'fields not owned pass through in place; missing seed columns added as null' '
	echo "{\"z\":1,\"item_id\":\"X\",\"a\":{\"b\":[1,2.5]},\"item_name\":\"x\",\"cost\":5,\"date\":\"2024-06-01\"}" |
	nc-transform $NOW >out &&
	jq -r "keys_unsorted | join(\",\")" out >keys &&
	test "$(cat keys)" = "z,item_id,a,item_name,cost,date,category,family,supplier_id,quantity,current_stock,lead_time_days,created_at,stock_status,total_value,unit_cost,loaded_at" &&
	grep -q "\"a\":{\"b\":\[1,2.5\]}" out
'

expect_success 'timestamps: offsets to UTC, naive taken as UTC, dd/mm/yyyy dates' '
	echo "{\"item_id\":\"X\",\"item_name\":\"x\",\"cost\":5,\"date\":\"13/11/2024\",\"created_at\":\"2024-11-13T22:30:00-03:00\"}" |
	nc-transform $NOW | jq -e ".date == \"2024-11-13\" and .created_at == \"2024-11-14T01:30:00Z\""
'

expect_success '--since moves the date filter' '
	nc-transform $NOW --since 2023-01-01 -m 10 -r rej <$T/raw.ndjson >out &&
	grep -q "\"item_id\":\"010894\"" out && refute grep -q "before" rej
'

expect_success 'every reject names its field; records in = out + rejected' '
	nc-transform $NOW -v -m 7 -r rej <$T/raw.ndjson >out 2>err &&
	grep -q "nc-transform: 10 in, 3 out, 7 rejected, 0 superseded" err &&
	test $(wc -l <out) = 3 && test $(wc -l <rej) = 7 &&
	jq -r .reason rej >reasons &&
	grep -qx "cost: not positive" reasons &&
	grep -qx "item_name: missing" reasons &&
	grep -qx "date: before 2024-01-01" reasons &&
	grep -qx "quantity: not a number" reasons &&
	grep -qx "date: not a date" reasons &&
	grep -qx "cost: out of range" reasons &&
	grep -q "^invalid JSON" reasons
'

expect_code 3 'more rejects than -m allows: exit 3, output still complete' '
	nc-transform $NOW -m 6 -r rej <$T/raw.ndjson >out 2>err' '
	test $(wc -l <out) = 3 && grep -q "error: 7 rejected, more than -m 6" err
'

expect_code 3 'default -m is 0: any reject is exit 3' '
	nc-transform $NOW <$T/raw.ndjson >out 2>err
'

expect_success 'without -r each reject is a warning with input and line' '
	nc-transform $NOW -m 10 <$T/raw.ndjson >out 2>err;
	grep -qx "nc-transform: stdin:4: cost: not positive" err &&
	grep -qx "nc-transform: stdin:9: date: not a date" err
'

expect_success 'files as arguments are named in messages' '
	cp $T/raw.ndjson raw.ndjson
	nc-transform $NOW -m 10 raw.ndjson >out 2>err;
	grep -qx "nc-transform: raw.ndjson:7: quantity: not a number" err
'

expect_success 'ids of every JSON type, and types that are not ids' '
	printf "%s\n" "{\"item_id\":true,\"item_name\":\"x\",\"cost\":1,\"date\":\"2024-06-01\"}" \
		"{\"item_id\":[1],\"item_name\":\"x\",\"cost\":1,\"date\":\"2024-06-01\"}" |
	nc-transform $NOW -m 1 -r rej >out &&
	jq -e ".item_id == \"true\"" out && jq -e ".reason == \"item_id: not a string or number\"" rej
'
expect_success 'the fast path and the jansson path give the same records' '
	# A nested field sends a record down the jansson path; drop it after.
	LC_ALL=C awk -v items=5 -v days=40 -f $T/gen-items.awk |
		sed "s/\"item_name\":\" item \([0-9]\)/\"item_name\":\" it\\\\\"em \\\\u00e9\1/" >fast.in &&
	grep -q "u00e9" fast.in &&
	sed "s/^{/{\"nested\":[1,{\"a\":null}],/" fast.in >slow.in &&
	nc-transform $NOW -m 100 -r /dev/null <fast.in >fast.out &&
	nc-transform $NOW -m 100 -r /dev/null <slow.in | jq -c "del(.nested)" >slow.out &&
	jq -c . fast.out >fast.jq && cmp_files fast.jq slow.out &&
	grep -q "it\\\\\"em é" fast.out
'

done_testing
