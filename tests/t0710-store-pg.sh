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

# Series keys that a text of the key values could confuse: tabs,
# backslashes, newlines, colons, nulls, "n", and splits of the same bytes.
{
	cat <<'EOF'
{"a":"x","b":"y","v":1}
{"a":"x\ty","b":null,"v":2}
{"a":null,"b":"n","v":3}
{"a":"n","b":null,"v":4}
{"a":"1:a","b":"b","v":5}
{"a":"1","b":":ab","v":6}
{"a":"back\\slash","b":"new\nline","v":7}
{"a":"","b":"","v":8}
{"a":null,"b":null,"v":9}
{"a":"é","b":"\u001f","v":10}
EOF
	seq 1 300 | awk '{ printf "{\"a\":\"s%d\",\"b\":\"%s\",\"v\":%d}\n", $1, $1 % 3 ? "t" $1 % 5 : "", $1 }'
} >odd.ndjson
expect_success '--shard K/N filtered by the server: every series once, in the shard its hash says' '
	nc-store load -d "$DB" -k a,b odd <odd.ndjson
	for k in 1 2 3 4 5; do nc-store dump -d "$DB" --shard $k/5 odd >o$k; done
	test -s o1
	test -s o5
	cat o1 o2 o3 o4 o5 | LC_ALL=C sort >got
	nc-store dump -d "$DB" odd | LC_ALL=C sort >want
	test "$(wc -l <want)" = 310
	cmp_files want got
	for k in 1 2 3 4 5; do
		jq -r "[(.a // \"\"), (.b // \"\")] | join(\"\u001f\") | @json" o$k |
			in_shard $k 5 || exit 1
	done
'
expect_success '... each shard in key order, with --until and -w as without --shard' '
	nc-store dump -d "$DB" --shard 2/5 -w b=t1 odd >w2
	nc-store dump -d "$DB" -w b=t1 odd >w
	grep -F -x -f w2 w >w2in
	cmp_files w2 w2in
	nc-store dump -d "$DB" odd | grep -F -x -f o3 >o3order
	cmp_files o3order o3
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
