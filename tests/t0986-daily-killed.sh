#!/bin/sh
# t0986-daily-killed: a killed nc-daily releases what it holds: after kill
# -9 or kill -TERM of a run whose extract is waiting to retry, the next run
# gets the lock at once, and the killed run's extract does not retry; on
# TERM, the processes it started are gone.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/daily-lib.sh"

DAY=2025-03-14
LC_ALL=C daily_slice 2025-03-10 2025-03-16 >slice.ndjson

# wait_until CMD: up to 20 s for CMD to succeed.
wait_until() {
	_i=0
	until eval "$1"; do
		_i=$((_i + 1))
		test "$_i" -le 200 || { echo "timed out waiting for: $1"; return 1; }
		sleep 0.1
	done
}

# attempts DIR: the extract-erp attempts in the timings of DIR's first run.
attempts() {
	set -- "$1"/log/2*/
	awk -F '\t' '$2 == "extract-erp"' "${1}timings.tsv" 2>/dev/null | wc -l
}

# A run whose ERP extract fails (no such file) and waits 3 s to retry;
# then SIG is sent to it, and a good run on the same directory follows.
# kill_then_run SIG DIR
kill_then_run() {
	daily_config "$2.bad" "$TRASH/$2" GOLD=none RETRIES=5 RETRY_WAIT=3 \
		"ERP_FILE=$TRASH/no-such.ndjson"
	daily_config "$2.good" "$TRASH/$2" GOLD=none
	"$DAILY" --config "$2.bad" --date $DAY >"$2.out" 2>"$2.err" &
	_bad=$!
	wait_until "test \"\$(attempts $TRASH/$2)\" -ge 1" || return 1
	kill -"$1" "$_bad"
	_st=0
	wait "$_bad" || _st=$?
	echo "$_st" >"$2.status"
	# nc-daily takes its lock with flock -n: a run that finds it held exits
	# 75 at once, so the next run succeeding is the proof it got the lock
	# (no timing asserted: the machine may be loaded).
	"$DAILY" --config "$2.good" --date $DAY >"$2.next.out" 2>"$2.next.err" ||
		{ echo "next run: exit $?"; cat "$2.next.err"; return 1; }
}

expect_success 'after kill -9 of a run waiting to retry, the next run gets the lock' '
	kill_then_run KILL k9
	test "$(cat k9.status)" = 137
'
expect_success '... and the killed run'"'"'s extract does not retry' '
	sleep 5
	test "$(attempts "$TRASH/k9")" = 1
'

expect_success 'after kill -TERM, the run ends at once, and the next run gets the lock' '
	kill_then_run TERM kt
	test "$(cat kt.status)" = 143
	grep -q "killed by SIGTERM; state not committed" kt.err
'
expect_success '... the killed run'"'"'s extract does not retry' '
	sleep 4
	test "$(attempts "$TRASH/kt")" = 1
'

# TERM while an extract blocks reading a FIFO: the reader is killed too.
mkfifo fifo.ndjson
daily_config fifo.conf "$TRASH/f" GOLD=none "ERP_FILE=$TRASH/fifo.ndjson"
"$DAILY" --config fifo.conf --date $DAY >f.out 2>f.err &
run=$!
wait_until 'ls "$TRASH"/f/log/*/run.log >/dev/null 2>&1'
sleep 1
kill -TERM "$run"
st=0
wait "$run" || st=$?
expect_success 'TERM while an extract blocks on its input: the run exits 143' '
	test '"$st"' = 143
'
expect_success '... and kills the extract reading the FIFO (no reader is left)' '
	st=0
	timeout 3 sh -c "echo x >fifo.ndjson" || st=$?
	test "$st" = 124
'

done_testing
