#!/bin/sh
# nc-extract-erp: records from a real PostgreSQL server, value by value;
# options, the password refusal, output errors, the man page's EXAMPLES.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/pg.sh"
. "$TESTS_DIR/erp-lib.sh"
pg_start && erp_load || { echo "Bail out! no PostgreSQL server"; exit 1; }

SEED="item_id, item_name, category, family, supplier_id, cost, quantity, current_stock, lead_time_days, date, created_at"

# psql_json WHERE: the seed's query as PostgreSQL's own row_to_json gives it,
# timestamps turned from "+00:00" to "Z", one compact record per line, sorted.
psql_json() {
	PGTZ=UTC psql -X -At -c "SELECT row_to_json(t) FROM (SELECT $SEED FROM items WHERE $1) t" |
	jq -c '.created_at |= (if . == null then . else sub("\\+00:00$"; "Z") end)' | sort
}

expect_success 'one day of the seed query: the same records as row_to_json' '
	nc-extract-erp --date 2025-03-24 >out &&
	test "$(wc -l <out)" = 129 &&
	jq -c . out | sort >got &&
	psql_json "date = '\''2025-03-24'\''" >want &&
	cmp_files want got
'

expect_success 'keys are the seed columns, in order' '
	nc-extract-erp --date 2025-03-24 >out &&
	jq -r "keys_unsorted | join(\",\")" out | sort -u >keys &&
	echo "item_id,item_name,category,family,supplier_id,cost,quantity,current_stock,lead_time_days,date,created_at" >want &&
	cmp_files want keys
'

expect_success 'a range of days: --since and --until, inclusive' '
	nc-extract-erp --since 2025-03-17 --until 2025-03-28 >out &&
	jq -c . out | sort >got &&
	psql_json "date BETWEEN '\''2025-03-17'\'' AND '\''2025-03-28'\''" >want &&
	test "$(wc -l <want)" = 359 && cmp_files want got
'

expect_success 'open ranges: --since alone has no end, --until alone no start' '
	nc-extract-erp --since 2025-03-28 >a && nc-extract-erp --until 2025-03-17 >b &&
	test "$(wc -l <a)" = "$(psql -X -At -c "SELECT count(*) FROM items WHERE date >= '\''2025-03-28'\''")" &&
	test "$(wc -l <b)" = "$(psql -X -At -c "SELECT count(*) FROM items WHERE date <= '\''2025-03-17'\''")" &&
	test -s a && test -s b
'

expect_success 'dd/mm/yyyy dates are accepted' '
	nc-extract-erp --date 24/03/2025 >a && nc-extract-erp --date 2025-03-24 >b && cmp_files a b
'

expect_success 'edge rows: NULLs, unicode, big numerics, time zones, NaN (exact text)' '
	nc-extract-erp --date 2025-03-29 | sort >got &&
	cmp_files $EXPECTED/erp/edge.ndjson got
'

expect_success 'every record reads back with jansson-based nc-transform' '
	nc-extract-erp --since 2025-03-17 --until 2025-03-29 >out &&
	nc-transform --now 2026-11-27T05:00:00Z -m 1000 -r rej <out >silver &&
	test "$(($(wc -l <silver) + $(wc -l <rej)))" = "$(wc -l <out)" &&
	refute grep -q "invalid JSON" rej
'

expect_success 'types by column type (int, float, numeric, bool, date, timestamps, json, others)' '
	nc-extract-erp -q $ERP/types.sql >got &&
	cmp_files $EXPECTED/erp/types.ndjson got
'

expect_success 'batches of any size give the same output (--fetch)' '
	nc-extract-erp --since 2025-03-17 --until 2025-03-29 >a &&
	nc-extract-erp --since 2025-03-17 --until 2025-03-29 --fetch 7 >b &&
	nc-extract-erp --since 2025-03-17 --until 2025-03-29 --fetch 1 >c &&
	cmp_files a b && cmp_files a c
'

expect_success 'a day without rows: empty output, exit 0' '
	nc-extract-erp --date 2020-01-01 >out 2>err && test ! -s out && test ! -s err
'

expect_success 'the default day is yesterday in local time' '
	printf "SELECT \$1::text AS since, \$2::text AS until\n" >q.sql &&
	TZ=America/Bahia nc-extract-erp -q q.sql --now 2025-03-25T02:00:00Z >a &&
	TZ=UTC nc-extract-erp -q q.sql --now 2025-03-25T02:00:00Z >b &&
	test "$(cat a)" = "{\"since\":\"2025-03-23\",\"until\":\"2025-03-23\"}" &&
	test "$(cat b)" = "{\"since\":\"2025-03-24\",\"until\":\"2025-03-24\"}"
'

expect_success '-q: dates are bound as parameters $1 and $2, typed date' '
	printf "SELECT \$1 AS since, \$2 AS until, pg_typeof(\$1)::text AS t;\n\n" >q.sql &&
	nc-extract-erp -q q.sql --since 2025-03-01 --until 31/03/2025 >out &&
	test "$(cat out)" = "{\"since\":\"2025-03-01\",\"until\":\"2025-03-31\",\"t\":\"date\"}"
'

expect_success '-q: a query that does not use the dates' '
	echo "SELECT count(*) AS n FROM items" >q.sql &&
	nc-extract-erp -q q.sql >out && test "$(cat out)" = "{\"n\":364}"
'

expect_success 'the example query for the purchase-request export agrees with nc-sample-map' '
	nc-extract-erp -q $SRC_DIR/scripts/erp-queries/requisicoes.sql --since 2025-03-17 --until 2025-03-28 >q.out
	test "$(wc -l <q.out)" = 359
	jq -c "del(.cost, .current_stock)" q.out >got
	nc-csv --strings "PRODUTO/SERVIÇO,SOLICITAÇÃO" $ERP/requisicoes.csv >rq
	nc-sample-map <rq | jq -c "select(.date != null) | del(.cost, .current_stock)" >want
	cmp_files want got
	test -z "$(jq -c "select(.cost != null or .current_stock != null)" q.out)"
'

expect_success 'session: application_name nc-extract-erp, TimeZone UTC' '
	echo "SELECT current_setting('\''application_name'\'') AS app, current_setting('\''TimeZone'\'') AS tz" >q.sql &&
	PGTZ=America/Bahia nc-extract-erp -q q.sql >out &&
	test "$(cat out)" = "{\"app\":\"nc-extract-erp\",\"tz\":\"UTC\"}"
'

expect_success '-d takes a postgresql:// URI or a key=value string' '
	echo "SELECT current_database() AS db" >q.sql &&
	psql -X -q -c "CREATE DATABASE erp2" &&
	nc-extract-erp -d "postgresql:///erp2?host=$PGHOST&port=$PGPORT" -q q.sql >a &&
	nc-extract-erp -d "dbname=erp2" -q q.sql >b &&
	test "$(cat a)" = "{\"db\":\"erp2\"}" && cmp_files a b
'

expect_code 1 'two columns of the same name are an error' '
	echo "SELECT 1 AS a, 2 AS a" >q.sql &&
	nc-extract-erp -q q.sql >out 2>err' '
	grep -q "duplicate column name .a." err && test ! -s out
'

expect_code 2 'a password in a key=value string is refused' '
	nc-extract-erp -d "host=127.0.0.1 password=s3cret-pw dbname=postgres" >out 2>err' '
	grep -q "PGPASSWORD" err && grep -q "pgpass" err && refute grep -q s3cret err && test ! -s out
'

expect_code 2 'a password in a postgresql:// URI is refused' '
	nc-extract-erp -d "postgresql://postgres:s3cret-pw@127.0.0.1:$PGPORT/postgres" >out 2>err' '
	grep -q "password on the command line" err && refute grep -q s3cret err
'

expect_code 2 'an unparsable connection string is a usage error' '
	nc-extract-erp -d "nosuchoption=1" 2>err' '
	grep -q "nosuchoption" err
'

for bad in "--date 2025-02-30" "--since x" "--date 2025-03-01 --since 2025-03-01" \
	"-s st" "--new-state st" "--bookmark=" "--fetch 0" "--statement-timeout -1" \
	"--connect-timeout 0" "--now yesterday" "extra"; do
	expect_code 2 "usage error: $bad" "nc-extract-erp $bad >out 2>err || { c=\$?; grep -q usage: err && test ! -s out; exit \$c; }"
done

expect_code 1 '-q: a file that does not exist' 'nc-extract-erp -q nosuch.sql 2>err'
expect_code 1 '-q: an empty query' 'printf " ;\n" >e.sql && nc-extract-erp -q e.sql 2>err'

expect_success '| head: quiet' '
	head_is_quiet nc-extract-erp --since 2025-03-17 --fetch 10
'

expect_success '>/dev/full: write error, exit 1' '
	full_disk_fails nc-extract-erp --date 2025-03-24
'

expect_success '>/dev/full with --new-state: the new state is not written' '
	full_disk_fails nc-extract-erp --bookmark created_at --new-state st.new &&
	test ! -e st.new
'

# The EXAMPLES, as written (tests/man-lib.sh), against the fixture database.
. "$TESTS_DIR/man-lib.sh"
man_scratch nc-extract-erp.1 || exit 1
run_page_examples nc-extract-erp.1
cd "$TRASH" || exit 1

done_testing
