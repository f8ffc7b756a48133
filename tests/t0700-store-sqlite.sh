#!/bin/sh
# nc-store on SQLite (a file): load, dump, ls, and the robustness the
# warehouse needs (whole loads, concurrent loads, SIGKILL).
. "$(dirname "$0")/lib.sh"
DB=$TRASH/nc.db
. "$TESTS_DIR/store-lib.sh"

store_tests

expect_success 'the file is in WAL mode, the tables are there for sqlite3' '
	test "$(sqlite3 "$DB" "PRAGMA journal_mode")" = wal &&
	test "$(sqlite3 "$DB" "SELECT count(*) FROM silver WHERE site_id IS NULL")" = \
		"$(jq -c "select(.site_id == null)" $F | wc -l)" &&
	test "$(sqlite3 "$DB" "SELECT value FROM nc_meta WHERE key = '"'"'layout'"'"'")" = 1
'

expect_code 1 'dump of a database file that does not exist; no file is made' '
	nc-store dump -d nothere.db silver 2>err' '
	test ! -e nothere.db
'

# The EXAMPLES of nc-store(1) run as written in t0905-man-examples.sh.

done_testing
