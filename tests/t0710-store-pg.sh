#!/bin/sh
# nc-store on PostgreSQL: the same tests as on SQLite (tests/store-lib.sh),
# against a throwaway server.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/pg.sh"
pg_start || { echo "not ok 1 - a PostgreSQL server starts"; echo "1..1"; exit 1; }
DB="postgresql:///$PGDATABASE?host=$PGHOST&port=$PGPORT&user=$PGUSER"
. "$TESTS_DIR/store-lib.sh"

store_tests

expect_success 'records are json (text kept), keys and date extracted, COLLATE "C"' '
	test "$(psql -XAtc "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = '"'"'silver'"'"'::regclass AND attname = '"'"'record'"'"'")" = json &&
	test "$(psql -XAtc "SELECT count(*) FROM silver WHERE site_id IS NULL")" = \
		"$(jq -c "select(.site_id == null)" $F | wc -l)" &&
	test "$(psql -XAtc "SELECT record->>'"'"'item_name'"'"' FROM silver WHERE item_id = '"'"'010000'"'"' LIMIT 1")" = "CLIPS CROSBY 3/8"
'

expect_code 2 'a password in -d is refused' '
	nc-store ls -d "postgresql://u:secret@127.0.0.1:1/x" 2>err
'
expect_success '... without printing it' '
	grep -q "password on the command line is refused" err
	if grep secret err; then exit 1; fi
'
expect_code 1 'a server that is not there: exit 1' '
	NC_DB="postgresql://u:secret@127.0.0.1:1/x" nc-store ls 2>err
'
expect_success '... no password printed' '
	grep -q "error: postgresql: connect" err
	if grep secret err; then exit 1; fi
'

done_testing
