#!/bin/sh
# t0985-daily-secrets: a password in NC_DB never reaches a log, stderr or
# the command line: nc-daily logs the store's URL without it and keeps its
# logs readable by the owner only; nc-store refuses a password in -d (libpq
# reads PGPASSWORD and ~/.pgpass) but takes NC_DB from the environment, so
# that nc-daily runs with such a URL.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/daily-lib.sh"
. "$TESTS_DIR/pg.sh"
pg_start || { echo "not ok 1 - a PostgreSQL server starts"; echo "1..1"; exit 1; }

DAY=2025-03-14
LC_ALL=C daily_slice 2025-03-10 2025-03-16 >slice.ndjson
URL="postgresql://postgres:s3cr3t-pw@127.0.0.1:$PGPORT/postgres"

# (t0710-store-pg.sh: a password in -d's user part is refused.)
expect_code 2 'nc-store -d with ?password= is a usage error too' '
	nc-store load -d "postgresql://127.0.0.1:$PGPORT/postgres?password=s3cr3t-pw" refused \
		</dev/null 2>err
'
expect_code 1 'NC_DB with a password works; a missing dataset is an error' '
	NC_DB=$URL nc-store dump no_such 2>err
'
expect_success '... which names the store without its password' '
	cat err
	grep -q "postgresql://postgres:\*\*\*@127.0.0.1:$PGPORT/postgres: no dataset" err
	if grep s3cr3t err; then exit 1; fi
'

daily_config pg.conf "$TRASH/d" GOLD=none "NC_DB=$URL"
expect_code 0 'nc-daily -v runs with a postgresql:// NC_DB holding a password' '
	"$DAILY" -v --config pg.conf --date $DAY >out 2>err || { cat err; exit 1; }
'
expect_success '... and loaded the day into PostgreSQL' '
	test "$(psql -XAtc "SELECT count(*) FROM silver")" = "$(day_records slice.ndjson $DAY | wc -l)"
	test "$(day_records slice.ndjson $DAY | wc -l)" -gt 0
'
expect_success 'the password is in no log and not on stderr' '
	grep -q "store postgresql://postgres:\*\*\*@127.0.0.1:$PGPORT/postgres" "$TRASH"/d/log/latest/run.log
	grep -q "store postgresql://postgres:\*\*\*@" err
	if grep -r s3cr3t "$TRASH/d/log" err out; then exit 1; fi
'
expect_success 'the logs are readable by the owner only' '
	run=$(the_run "$TRASH/d")
	test "$(stat -c %a "$run")" = 700
	test "$(stat -c %a "$run/$DAY")" = 700
	test "$(stat -c %a "$run/run.log")" = 600
	test "$(stat -c %a "$run/timings.tsv")" = 600
'
expect_success 'the logs do not show a URL'"'"'s parameters either' '
	daily_config q.conf "$TRASH/q" GOLD=none \
		"NC_DB=postgresql://postgres@127.0.0.1:$PGPORT/postgres?password=s3cr3t-pw"
	"$DAILY" -v --config q.conf --date $DAY >out 2>err || { cat err; exit 1; }
	grep -q "store postgresql://postgres@127.0.0.1:$PGPORT/postgres?\.\.\." err
	if grep -r s3cr3t "$TRASH/q/log" err out; then exit 1; fi
'

done_testing
