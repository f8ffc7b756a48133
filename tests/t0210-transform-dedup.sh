#!/bin/sh
# nc-transform: deduplication by (key, date), sorted and buffered.
. "$(dirname "$0")/lib.sh"
T=$FIXTURES/transform
NOW=--now=2026-11-27T05:00:00Z

expect_success 'latest created_at wins, null loses, ties go to the later line' '
	nc-transform $NOW -v -r aside <$T/dups.ndjson >out 2>err &&
	jq -r ".item_id + \" \" + .date + \" \" + .item_name" out >got &&
	printf "%s\n" "A 2024-05-01 newest" "A 2024-05-02 other day" "B 2024-05-01 tie 2" >want &&
	cmp_files want got &&
	grep -q "7 in, 3 out, 0 rejected, 4 superseded" err
'

expect_success 'superseded records go to -r with reason superseded, not as rejects' '
	nc-transform $NOW -r aside <$T/dups.ndjson >out &&
	test $(jq -r .reason aside | sort -u) = superseded &&
	jq -r "._reject.item_name" aside | sort >got &&
	printf "%s\n" "first" "no created_at" "older" "tie 1" >want &&
	cmp_files want got
'

expect_success '--sorted gives the same output and set-aside records' '
	nc-transform $NOW -r aside1 <$T/dups.ndjson >out1 &&
	nc-transform $NOW --sorted -r aside2 <$T/dups.ndjson >out2 &&
	cmp_files out1 out2 &&
	sort aside1 >a1 && sort aside2 >a2 && cmp_files a1 a2
'

expect_code 1 '--sorted refuses input out of order, naming the line' '
	printf "%s\n" "{\"item_id\":\"B\",\"item_name\":\"x\",\"cost\":1,\"date\":\"2024-06-01\"}" \
		"{\"item_id\":\"A\",\"item_name\":\"x\",\"cost\":1,\"date\":\"2024-06-01\"}" >in &&
	nc-transform $NOW --sorted <in >out 2>err' '
	grep -q "stdin:2: input not ordered by item_id and date" err
'

expect_success 'unordered input is buffered and comes out ordered by key and date' '
	printf "%s\n" "{\"item_id\":\"B\",\"item_name\":\"x\",\"cost\":1,\"date\":\"2024-06-02\"}" \
		"{\"item_id\":\"A\",\"item_name\":\"x\",\"cost\":1,\"date\":\"2024-06-03\"}" \
		"{\"item_id\":\"B\",\"item_name\":\"x\",\"cost\":1,\"date\":\"2024-06-01\"}" \
		"{\"item_id\":\"A\",\"item_name\":\"x\",\"cost\":1,\"date\":\"2024-06-01\"}" >in &&
	nc-transform $NOW <in | jq -r ".item_id + .date" >got &&
	printf "%s\n" A2024-06-01 A2024-06-03 B2024-06-01 B2024-06-02 >want &&
	cmp_files want got
'

expect_success '-k item_id,site_id keeps one record per site and day' '
	printf "%s\n" "{\"item_id\":\"A\",\"site_id\":\"S1\",\"item_name\":\"x\",\"cost\":1,\"quantity\":1,\"date\":\"2024-06-01\"}" \
		"{\"item_id\":\"A\",\"site_id\":\"S2\",\"item_name\":\"x\",\"cost\":1,\"quantity\":2,\"date\":\"2024-06-01\"}" \
		"{\"item_id\":\"A\",\"site_id\":\"S2\",\"item_name\":\"x\",\"cost\":1,\"quantity\":3,\"date\":\"2024-06-01\"}" >in &&
	nc-transform $NOW <in >one && test $(wc -l <one) = 1 &&
	nc-transform $NOW -k item_id,site_id <in >two && test $(wc -l <two) = 2 &&
	jq -r ".site_id + \" \" + (.quantity|tostring)" two >got &&
	printf "%s\n" "S1 1" "S2 3" >want && cmp_files want got
'

expect_code 2 '-k must start with item_id' 'nc-transform -k site_id </dev/null'

# Superseded records with values of their own are a likely key mistake:
# said on stderr without -v, with their count and quantity.
rec() {	# rec SITE QUANTITY CREATED_AT
	printf '{"item_id":"A","site_id":"%s","item_name":"x","cost":1,"quantity":%s,"date":"2024-06-01","created_at":"%s"}\n' \
		"$1" "$2" "$3"
}
expect_success 'records of other sites under a key without site_id: a warning with count and quantity' '
	{ rec S1 5 2024-06-01T08:00:00Z; rec S2 7 2024-06-01T09:00:00Z
	  rec S3 11 2024-06-01T10:00:00Z; } >sites.ndjson
	nc-transform $NOW sites.ndjson >out 2>err
	test "$(wc -l <out)" = 1
	grep -q "^nc-transform: warning: 2 superseded records (quantity 12) differ from the record of the same key (item_id, date) that replaced them: likely a key mistake, see -k$" err
	nc-transform $NOW --sorted sites.ndjson >out 2>err2
	cmp_files err err2
'
expect_success '... none with the right key' '
	nc-transform $NOW -k item_id,site_id sites.ndjson >out 2>err
	test "$(wc -l <out)" = 3 && test ! -s err
'
expect_success 'an older copy that differs only in created_at is superseded quietly' '
	{ rec S1 5 2024-06-01T08:00:00Z; rec S1 5 2024-06-02T08:00:00Z; } >copies.ndjson
	nc-transform $NOW -v copies.ndjson >out 2>err
	grep -q "2 in, 1 out, 0 rejected, 1 superseded" err
	if grep warning err; then exit 1; fi
'
expect_success 'the sample through nc-sample-map with the default key: 282 records, 34550 units said' '
	nc-csv --strings "PRODUTO/SERVIÇO,SOLICITAÇÃO" "$SRC_DIR/data/sample/requisicoes-2024-2025.csv" \
		>sample.ndjson
	nc-sample-map sample.ndjson >mapped.ndjson
	nc-transform $NOW -m 100 mapped.ndjson >out 2>err
	grep -q "warning: 282 superseded records (quantity 34550) differ" err
	nc-transform $NOW -m 100 -k item_id,site_id mapped.ndjson >out 2>err
	if grep warning err; then exit 1; fi
'

# A larger realistic stream: 60 items x 400 days with 2% duplicates and
# a few bad rows, generated here; sorted and buffered runs, 1 and 4
# threads, must agree, and in = out + rejected + superseded.
expect_success 'sorted, buffered and threaded runs agree on 73,000 records (buffered mode sorts in two threads); one per good key and day' '
	LC_ALL=C awk -v items=180 -v days=400 -f $T/gen-items.awk >big &&
	test $(wc -l <big) -gt 72000 &&
	nc-transform $NOW -v --sorted -m 1000 -r r1 <big >o1 2>e1 &&
	nc-transform $NOW -m 1000 -r r2 --threads 1 <big >o2 &&
	nc-transform $NOW -m 1000 -r r3 --threads 4 <big >o3 &&
	cmp_files o1 o2 && cmp_files o1 o3 && cmp_files r2 r3 &&
	jq -r "select(.cost | type == \"number\") | .item_id + .date" big | sort -u | wc -l >want &&
	test $(wc -l <o1) = $(cat want) &&
	set -- $(sed -n "s/.* \([0-9]*\) in, \([0-9]*\) out, \([0-9]*\) rejected, \([0-9]*\) superseded/\1 \2 \3 \4/p" e1) &&
	test "$1" = $(wc -l <big) && test $(($2 + $3 + $4)) = "$1" && test "$3" -gt 0 && test "$4" -gt 0
'
done_testing
