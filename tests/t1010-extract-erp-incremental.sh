#!/bin/sh
# nc-extract-erp: incremental extraction with --bookmark, -s and --new-state.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/pg.sh"
. "$TESTS_DIR/erp-lib.sh"
pg_start && erp_load || { echo "Bail out! no PostgreSQL server"; exit 1; }

count() {
	psql -X -At -c "SELECT count(*) FROM items WHERE $1"
}
BM="--bookmark created_at"

expect_success 'no state: a full extraction up to the start time, in bookmark order' '
	nc-extract-erp $BM --new-state st1 --now 2025-03-30T00:00:00Z >out &&
	test "$(wc -l <out)" = "$(count "created_at <= '\''2025-03-30T00:00:00Z'\''")" &&
	test "$(wc -l <out)" = 361 &&
	jq -r .created_at out >ts && sort ts >ts.sorted && cmp_files ts.sorted ts &&
	refute grep -q -e EDGE-NULL -e EDGE-NAN -e EDGE-BIGNUM out &&
	echo "{\"bookmarks\":{\"items\":{\"created_at\":\"2025-03-30T00:00:00Z\"}}}" >want &&
	cmp_files want st1
'

expect_success 'a missing state file is a full extraction too' '
	nc-extract-erp $BM -s nosuch.state --new-state st1b --now 2025-03-30T00:00:00Z >out2 &&
	nc-extract-erp $BM --new-state st1c --now 2025-03-30T00:00:00Z >out3 &&
	cmp_files out3 out2 && cmp_files st1c st1b
'

expect_success 'the next run takes only later rows, with fractions of a second kept' '
	nc-extract-erp $BM -s st1 --new-state st2 --now 2025-03-31T00:00:00Z >out &&
	jq -r .item_id out >ids && printf "EDGE-NAN\nEDGE-BIGNUM\n" >want && cmp_files want ids &&
	echo "{\"bookmarks\":{\"items\":{\"created_at\":\"2025-03-30T02:59:59.123456Z\"}}}" >want &&
	cmp_files want st2
'

expect_success 'a run without new rows: empty output, the bookmark kept' '
	nc-extract-erp $BM -s st2 --new-state st3 --now 2025-03-31T00:00:00Z >out &&
	test ! -s out && cmp_files st2 st3
'

expect_success 'a row one microsecond past the bookmark is taken' '
	psql -X -q -c "INSERT INTO items (item_id, date, created_at) VALUES ('\''NEW-1'\'', '\''2025-03-30'\'', '\''2025-03-30 02:59:59.123457+00'\'')" &&
	nc-extract-erp $BM -s st2 --new-state st4 --now 2025-03-31T00:00:00Z >out &&
	test "$(jq -r .item_id out)" = NEW-1 &&
	grep -q "\"created_at\":\"2025-03-30T02:59:59.123457Z\"" st4
'

expect_success 'rows after the start time wait for the next run' '
	psql -X -q -c "INSERT INTO items (item_id, date, created_at) VALUES ('\''LATER'\'', '\''2025-04-02'\'', '\''2025-04-02 10:00:00+00'\'')" &&
	nc-extract-erp $BM -s st4 --new-state st5 --now 2025-04-01T00:00:00Z >out &&
	test ! -s out && cmp_files st4 st5 &&
	nc-extract-erp $BM -s st5 --new-state st6 --now 2025-04-03T00:00:00Z >out &&
	test "$(jq -r .item_id out)" = LATER
'

expect_success 'a date option still filters with --bookmark' '
	nc-extract-erp $BM --date 2025-03-24 -s st1 --new-state st7 --now 2025-04-03T00:00:00Z >out &&
	test ! -s out &&
	nc-extract-erp $BM --date 2025-03-24 --new-state st8 --now 2025-04-03T00:00:00Z >out &&
	test "$(wc -l <out)" = 129 && grep -q "2025-03-24T00:00:00Z" st8
'

expect_success 'other streams and other keys of the state are kept' '
	echo "{\"version\":1,\"bookmarks\":{\"inmet\":{\"date\":\"2025-01-01\"},\"items\":{\"created_at\":\"2025-04-02T00:00:00Z\"}}}" >st &&
	nc-extract-erp $BM -s st --new-state st.new --now 2025-04-03T00:00:00Z >out &&
	test "$(jq -r .item_id out)" = LATER &&
	jq -e ".version == 1 and .bookmarks.inmet.date == \"2025-01-01\" and .bookmarks.items.created_at == \"2025-04-02T10:00:00Z\"" st.new
'

expect_success '--new-state may replace -s in place; no temporary file is left' '
	echo "{\"bookmarks\":{\"items\":{\"created_at\":\"2025-04-02T00:00:00Z\"}}}" >same &&
	nc-extract-erp $BM -s same --new-state same --now 2025-04-03T00:00:00Z >out &&
	grep -q "2025-04-02T10:00:00Z" same &&
	test "$(ls | grep -c "^same")" = 1
'

expect_success '--stream and a custom query: the query name, a date bookmark' '
	nc-extract-erp -q $SRC_DIR/scripts/erp-queries/requisicoes.sql --bookmark date --new-state r1 --now 2025-04-03T00:00:00Z >out &&
	test "$(wc -l <out)" = 359 &&
	echo "{\"bookmarks\":{\"requisicoes\":{\"date\":\"2025-03-28\"}}}" >want && cmp_files want r1 &&
	nc-extract-erp -q $SRC_DIR/scripts/erp-queries/requisicoes.sql --bookmark date -s r1 --new-state r2 --stream req >out &&
	test "$(wc -l <out)" = 359 &&
	jq -e ".bookmarks.req.date == \"2025-03-28\" and .bookmarks.requisicoes.date == \"2025-03-28\"" r2
'

expect_success 'a bookmark on a computed timestamptz column of a custom query' '
	echo "SELECT g AS id, now() - interval '\''1 day'\'' * g AS at FROM generate_series(1, 5) g" >ids.sql &&
	nc-extract-erp -q ids.sql --bookmark at --new-state ids.st >out &&
	jq -r .id out >got && printf "5\n4\n3\n2\n1\n" >want && cmp_files want got &&
	test "$(jq -r .bookmarks.ids.at ids.st)" = "$(jq -r .at out | tail -n 1)"
'

expect_success 'an integer bookmark has no cap and is saved as a number' '
	echo "SELECT g AS id FROM generate_series(1, \$2 - \$1) g" >ids2.sql &&
	nc-extract-erp -q ids2.sql --since 2025-03-01 --until 2025-03-08 --bookmark id --new-state i1 >out &&
	test "$(wc -l <out)" = 7 && test "$(jq -c .bookmarks.ids2.id i1)" = 7 &&
	nc-extract-erp -q ids2.sql --since 2025-03-01 --until 2025-03-11 --bookmark id -s i1 --new-state i2 >out &&
	jq -r .id out >got && printf "8\n9\n10\n" >want && cmp_files want got &&
	test "$(jq -c .bookmarks.ids2.id i2)" = 10
'

expect_success 'a date bookmark takes whole days only: up to yesterday, local time (22-23 are a weekend)' '
	TZ=America/Bahia nc-extract-erp --bookmark date --new-state d1 --now 2025-03-25T02:00:00Z >out &&
	test "$(jq -r .date out | tail -n 1)" = 2025-03-21 &&
	test "$(jq -r .bookmarks.items.date d1)" = 2025-03-21 &&
	test "$(wc -l <out)" = "$(count "date <= '\''2025-03-23'\''")" &&
	TZ=UTC nc-extract-erp --bookmark date -s d1 --new-state d2 --now 2025-03-25T02:00:00Z >out &&
	test "$(jq -r .date out | sort -u)" = 2025-03-24 &&
	test "$(wc -l <out)" = 129
'

expect_code 1 'an invalid state file: exit 1, nothing written' '
	echo "{\"bookmarks\":" >bad &&
	nc-extract-erp $BM -s bad --new-state bad.new >out 2>err' '
	grep -q "invalid JSON" err && test ! -e bad.new && test ! -s out
'

expect_code 1 'bookmarks not an object: exit 1' '
	echo "{\"bookmarks\":[]}" >bad2 && nc-extract-erp $BM -s bad2 --new-state bad2.new 2>err
'

expect_code 1 'a bookmark column the query lacks: exit 1, no state' '
	nc-extract-erp --bookmark nosuch --new-state ns.new >out 2>err' '
	grep -q "nosuch" err && test ! -e ns.new
'

expect_code 1 'a state file that cannot be written: exit 1' '
	nc-extract-erp $BM --new-state nodir/st >out 2>err' '
	grep -q "error: --new-state: nodir/st" err
'

done_testing
