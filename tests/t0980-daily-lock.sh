#!/bin/sh
# t0980-daily-lock: one run at a time: a run started while another holds
# the lock exits at once with status 75 and a message, and touches nothing.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/daily-lib.sh"

DAY=2025-03-14
LC_ALL=C daily_slice 2025-02-17 2025-03-16 >slice.ndjson
daily_config lock.conf "$TRASH/k" GOLD=none
LOCK=$TRASH/k/nc-daily.lock
mkdir -p "$TRASH/k"

# wait_for FILE: up to 20 s for FILE to exist.
wait_for() {
	_i=0
	while test ! -e "$1"; do
		_i=$((_i + 1))
		test "$_i" -le 200 || { echo "timed out waiting for $1"; return 1; }
		sleep 0.1
	done
}

# A holder of the lock: flock(1) on the same file, as another run would.
( exec 8>>"$LOCK"; flock 8; : >"$TRASH/held"; exec sleep 60 ) &
holder=$!
wait_for "$TRASH/held"

expect_code 75 'a run while the lock is held exits 75' '
	"$DAILY" --config lock.conf --date $DAY >busy.out 2>busy.err
'
expect_success '... with a message naming the lock, and no run directory, store or state' '
	grep -q "another run holds the lock $LOCK; not starting" busy.err
	test ! -s busy.out
	test -z "$(ls "$TRASH/k/log")"
	test ! -e "$TRASH/k/nc.db"
	test -z "$(ls "$TRASH/k/state")"
'
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null

expect_success 'once the lock is free, the run goes' '
	"$DAILY" --config lock.conf --date $DAY
	test "$(nc-store dump -d "$TRASH/k/nc.db" silver | wc -l)" -gt 0
'

# Two real runs: the first reads its ERP file from a FIFO, so it holds the
# lock until the test writes the day's records into it.
mkfifo erp-fifo.ndjson
daily_config fifo.conf "$TRASH/q" GOLD=none "ERP_FILE=$TRASH/erp-fifo.ndjson"
"$DAILY" --config fifo.conf --date $DAY >first.out 2>first.err &
first=$!
# The first run has the lock once its run.log exists.
wait_for_run() {
	_i=0
	while ! ls "$TRASH"/q/log/*/run.log >/dev/null 2>&1; do
		_i=$((_i + 1))
		test "$_i" -le 200 || { echo "timed out"; return 1; }
		sleep 0.1
	done
}
wait_for_run

expect_code 75 'a second nc-daily while the first is running exits 75' '
	"$DAILY" --config fifo.conf --date $DAY 2>second.err
'
expect_success '... and the second left no run directory' '
	set -- "$TRASH"/q/log/2*/
	test $# = 1
	grep -q "not starting" second.err
'

day_records slice.ndjson $DAY >erp-fifo.ndjson
st=0
wait "$first" || st=$?
expect_success 'the first run then finishes its day' '
	test '"$st"' = 0 || { cat first.err; exit 1; }
	test "$(nc-store dump -d "$TRASH/q/nc.db" silver | wc -l)" = \
		"$(day_records slice.ndjson $DAY | wc -l)"
'

done_testing
