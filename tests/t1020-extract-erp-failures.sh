#!/bin/sh
# nc-extract-erp: each failure exits 1 with libpq's message, no password in
# it, and no new state: server unreachable, authentication refused, missing
# table, SQL error, statement timeout, backend terminated mid-result.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/pg.sh"
. "$TESTS_DIR/erp-lib.sh"
pg_start && erp_load || { echo "Bail out! no PostgreSQL server"; exit 1; }

BM="--bookmark created_at --new-state st.new"
PW=s3cret-Pw-42

# fails_cleanly PATTERN: after a run that exited 1 with its stderr in err,
# the message matches PATTERN, is one "error:" line, shows no password, and
# no new state was written.
fails_cleanly() {
	grep -q "$1" err || { cat err; return 1; }
	test "$(wc -l <err)" = 1 && grep -q "^nc-extract-erp: error: " err &&
	refute grep -q "$PW" err && test ! -e st.new
}

# A role that logs in with a password over TCP (pg_hba is first match).
psql -X -q -c "CREATE ROLE clerk LOGIN PASSWORD '$PW'; CREATE ROLE nologin NOLOGIN;
	GRANT SELECT ON items TO clerk"
{ echo "host all clerk,nologin 127.0.0.1/32 scram-sha-256"; cat "$PG_DIR/data/pg_hba.conf"; } >hba &&
	cat hba >"$PG_DIR/data/pg_hba.conf" &&
	_pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" reload >/dev/null
TCP="host=127.0.0.1 port=$PGPORT dbname=postgres"

expect_success 'the password from PGPASSWORD works' '
	PGPASSWORD=$PW nc-extract-erp -d "$TCP user=clerk" --date 2025-03-24 >out &&
	test "$(wc -l <out)" = 129
'

expect_success 'the password from a pgpass file works' '
	echo "127.0.0.1:$PGPORT:*:clerk:$PW" >pgpass && chmod 600 pgpass &&
	PGPASSFILE=$PWD/pgpass nc-extract-erp -d "$TCP user=clerk" --date 2025-03-24 >out &&
	test "$(wc -l <out)" = 129
'

expect_code 1 'authentication refused: a wrong password' '
	PGPASSWORD=wrong-$PW nc-extract-erp -d "$TCP user=clerk" $BM >out 2>err' '
	fails_cleanly "password authentication failed" && test ! -s out
'

expect_code 1 'authentication refused: a role that may not log in' '
	PGPASSWORD=$PW nc-extract-erp -d "$TCP user=nologin" $BM >out 2>err' '
	fails_cleanly "nologin" && test ! -s out
'

port=$(_pg_free_port)
expect_code 1 'server unreachable: connection refused' '
	nc-extract-erp -d "host=127.0.0.1 port=$port" --connect-timeout 5 $BM >out 2>err' '
	fails_cleanly "error: connect: .*$port.*refused" && test ! -s out
'

expect_code 1 'server unreachable: no such socket directory' '
	nc-extract-erp -d "host=$TRASH/nosuch" $BM >out 2>err' '
	fails_cleanly "error: connect: " && test ! -s out
'

expect_code 1 'a missing table' '
	echo "SELECT * FROM nosuch_table" >q.sql &&
	nc-extract-erp -q q.sql $BM >out 2>err' '
	fails_cleanly "relation \"nosuch_table\" does not exist" && test ! -s out
'

expect_code 1 'an SQL error: syntax' '
	echo "SELEC item_id FROM items" >q.sql &&
	nc-extract-erp -q q.sql $BM >out 2>err' '
	fails_cleanly "syntax error" && test ! -s out
'

expect_code 1 'an SQL error while rows are fetched: division by zero at row 3' '
	echo "SELECT g, timestamptz '\''2025-01-01'\'' + g * interval '\''1 s'\'' AS created_at, 1 / (3 - g) AS x FROM generate_series(1, 5) g" >q.sql &&
	nc-extract-erp -q q.sql --fetch 1 >out 2>err' '
	fails_cleanly "division by zero" && test "$(wc -l <out)" = 2
'

expect_code 1 'two statements in -q are refused by the server' '
	echo "SELECT 1 AS a; SELECT 2 AS b" >q.sql &&
	nc-extract-erp -q q.sql >out 2>err' '
	fails_cleanly "cannot insert multiple commands"
'

expect_code 1 'the transaction is read-only' '
	psql -X -q -c "CREATE SEQUENCE ro_seq" &&
	echo "SELECT nextval('\''ro_seq'\'') AS n" >q.sql &&
	nc-extract-erp -q q.sql >out 2>err' '
	fails_cleanly "read-only transaction"
	test ! -s out
	test "$(psql -X -At -c "SELECT is_called FROM ro_seq")" = f
'

expect_code 1 'statement timeout: --statement-timeout' '
	echo "SELECT pg_sleep(10) AS s, timestamptz '\''2025-01-01'\'' AS created_at" >slow.sql &&
	nc-extract-erp -q slow.sql --statement-timeout 200 $BM >out 2>err' '
	fails_cleanly "statement timeout" && test ! -s out
'

expect_code 1 'statement timeout: from PGOPTIONS' '
	PGOPTIONS="-c statement_timeout=200" nc-extract-erp -q slow.sql $BM >out 2>err' '
	fails_cleanly "statement timeout"
'

# The backend is terminated from a second session while the extractor is
# in the middle of a 2,000,000-row result: the reader takes one line, then
# kills the backend, then reads the rest; the extractor, blocked on the
# full pipe, fetches again from a dead connection.
cat >big.sql <<'SQL'
SELECT g AS id, timestamptz '2025-01-01' + g * interval '1 second' AS created_at,
       'item ' || g AS name
FROM generate_series(1, 2000000) g
SQL
expect_code 1 'backend terminated by pg_terminate_backend during a large extract' '
	{ c=0; nc-extract-erp -q big.sql $BM 2>err || c=$?; echo $c >rc; } | {
		IFS= read -r first && echo "$first" >out &&
		psql -X -At -c "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
			WHERE application_name = '\''nc-extract-erp'\''" >killed
		cat >>out
	}
	test "$(cat killed)" = 1 || { echo "killed $(cat killed) backends"; exit 9; }
	n=$(wc -l <out)
	test "$n" -gt 1 && test "$n" -lt 2000000 || { echo "$n lines"; exit 9; }
	jq -c . out >/dev/null || { echo "a torn line"; exit 9; }
	fails_cleanly "terminat\\|server closed the connection" || exit 9
	exit "$(cat rc)"
'

expect_code 1 '--retries: an unreachable server is tried again, then exit 1' '
	port=$(_pg_free_port) &&
	nc-extract-erp -d "host=127.0.0.1 port=$port" --retries 1 $BM >out 2>err' '
	grep -q "^nc-extract-erp: connect: .*retrying in 1 s" err &&
	  tail -n 1 err >err1 && mv err1 err && fails_cleanly "refused"
'

expect_code 1 '--retries: a refused login is not tried again' '
	PGPASSWORD=wrong nc-extract-erp -d "$TCP user=clerk" --retries 3 $BM >out 2>err' '
	fails_cleanly "password authentication failed"
'

expect_success '--retries: a server that comes back while retrying' '
	_pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null
	{ nc-extract-erp --retries 5 --date 2025-03-24 >out 2>err; echo $? >rc; } &
	sleep 1
	_pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 30 \
		-o "-k $PG_DIR -p $PGPORT -h 127.0.0.1 -c fsync=off" start >/dev/null &&
	wait &&
	test "$(cat rc)" = 0 && test "$(wc -l <out)" = 129 && grep -q "retrying" err
'

done_testing
