#!/bin/sh
# t0970-daily-failures: a failing extract is retried, then fails the run
# with the stage's status and no state committed; a retry that succeeds;
# the quality gate stops a day for too many rejects, missing rows and stale
# data.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/daily-lib.sh"

GOOD=2025-03-13
DAY=2025-03-14
LC_ALL=C daily_slice 2025-02-17 2025-03-16 >slice.ndjson
FEATURES=on
test -x "$NC_BIN/nc-features" || FEATURES=off

# A committed good day first, so that there is state to keep.
daily_config good.conf "$TRASH/f" FEATURES=$FEATURES
"$DAILY" --config good.conf --date $GOOD 2>good.err || cat good.err
DB=$TRASH/f/nc.db
store_snapshot "$DB" >snap.before
(cd "$TRASH/f/state" && find . -type f | sort | xargs cat) >state.before

state_unchanged() {
	(cd "$TRASH/f/state" && find . -type f | sort | xargs cat) >state.after
	cmp_files state.before state.after
}

expect_success 'the good day committed its state' '
	test -s "$TRASH/f/state/alert.state" && test -d "$TRASH/f/state/days/$GOOD"
'

# A port on which nothing listens: connections are refused at once.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
daily_config pg.conf "$TRASH/f" FEATURES=$FEATURES ERP_SOURCE=pg \
	"ERP_CONNINFO='host=127.0.0.1 port=$port dbname=erp user=nc connect_timeout=5'" \
	ERP_BOOKMARK=created_at

expect_code 10 'an ERP that refuses connections fails the run with status 10 (extract-erp)' '
	"$DAILY" --config pg.conf --retries 2 --retry-wait 0 --date $DAY >pg.out 2>pg.err
'
RUN=$(readlink -f "$TRASH/f/log/latest")
RUN=${RUN%/}

expect_success 'the extract was tried three times (--retries 2), each logged' '
	test "$(timings_of "$RUN" $DAY extract-erp | awk "{ print \$1 }" | tr "\n" " ")" = "1 2 3 "
	timings_of "$RUN" $DAY extract-erp | awk "\$2 == 0 { exit 1 }"
	test "$(grep -c "^--- $DAY extract-erp attempt" "$RUN/$DAY/extract-erp.log")" = 3
	grep -q "nc-extract-erp" "$RUN/$DAY/extract-erp.log"
	grep -q "retry 2 of 2" "$RUN/run.log"
'

expect_success 'the message names the stage and the log' '
	test ! -s pg.out
	grep -q "$DAY: stage extract-erp failed; state not committed" pg.err
	grep -q "extract-erp.log" pg.err
'

expect_success 'no later stage ran, the store and the state files are as they were' '
	awk -F "\t" -v d=$DAY "\$1 == d && \$2 !~ /^extract-/" "$RUN/timings.tsv" >later
	test ! -s later
	store_snapshot "$DB" >snap.after
	cmp_files snap.before snap.after
	state_unchanged
	test ! -e "$TRASH/f/state/days/$DAY"
'

expect_code 10 'an ERP file that cannot be read fails extract-erp too' '
	daily_config nofile.conf "$TRASH/f" FEATURES=$FEATURES ERP_FILE=$TRASH/no-such.ndjson
	"$DAILY" --config nofile.conf --retries 0 --date $DAY 2>nofile.err
'
expect_success '... and says why' '
	grep -q "cannot read ERP_FILE" "$(readlink -f "$TRASH/f/log/latest")/$DAY/extract-erp.log"
	state_unchanged
'

# A stand-in for nc-extract-erp (test only) that fails on its first call
# and then prints the day's records: a transient failure.
mkdir -p flaky
cat >flaky/nc-extract-erp <<EOF
#!/bin/sh
if test ! -e "$TRASH/flaky.once"; then
	: >"$TRASH/flaky.once"
	echo "nc-extract-erp: server closed the connection unexpectedly" >&2
	exit 1
fi
jq -c 'select(.date == "$DAY")' "$TRASH/slice.ndjson"
EOF
chmod +x flaky/nc-extract-erp
daily_config flaky.conf "$TRASH/g" FEATURES=$FEATURES ERP_SOURCE=pg "NC_BIN=$TRASH/flaky:$NC_BIN"
expect_success 'an extract that fails once succeeds on its retry, and the day completes' '
	"$DAILY" --config flaky.conf --retries 3 --retry-wait 0 --date $DAY
	run=$(the_run "$TRASH/g")
	test "$(timings_of "$run" $DAY extract-erp)" = "1 1
2 0"
	test "$(nc-store dump -d "$TRASH/g/nc.db" silver | wc -l)" = \
		"$(day_records slice.ndjson $DAY | wc -l)"
	test -d "$TRASH/g/state/days/$DAY"
'

# A webhook that refuses connections: the alert stage fails, nothing of the
# day is committed, so the next run sends those alerts again.
daily_config hook.conf "$TRASH/f" FEATURES=$FEATURES "WEBHOOK_URL=http://127.0.0.1:$port/hook" \
	"ALERT_OPTS='--retries 0'"
expect_code 70 'an alert that cannot be delivered fails the run with status 70 (alert)' '
	"$DAILY" --config hook.conf --date $DAY 2>hook.err
'
expect_success '... the webhook URL reached nc-alert from WEBHOOK_URL; the state is as it was' '
	grep -q "stage alert failed" hook.err
	run=$(readlink -f "$TRASH/f/log/latest")
	grep -q "webhook: alert .* not delivered" "$run/$DAY/alert.log"
	state_unchanged
	test ! -e "$TRASH/f/state/days/$DAY"
'

# The quality gate.
gate_last_run() { readlink -f "$TRASH/f/log/latest"; }

expect_code 31 'a day without ERP rows stops at the gate when MIN_ROWS_ERP=1 (status 31)' '
	daily_config min.conf "$TRASH/f" FEATURES=$FEATURES MIN_ROWS_ERP=1
	"$DAILY" --config min.conf --date 2025-03-15 2>min.err
'
expect_success '... saying which source had too few rows; nothing after the gate ran' '
	grep -q "stage gate failed" min.err
	grep -q "gate: erp: 0 rows, fewer than MIN_ROWS=1" min.err
	run=$(gate_last_run)
	awk -F "\t" "\$2 == \"features\" || \$2 == \"commit\"" "$run/timings.tsv" >later
	test ! -s later
	state_unchanged
'

# One record of the day with a cost that is not a number: 1 of 7 rejected.
{ day_records slice.ndjson 2025-03-12; day_records slice.ndjson 2025-03-12 | head -n 1 |
	jq -c '.item_id = "999999" | .cost = "abc"'; } >bad-day.ndjson
jq -c 'select(.date != "2025-03-12")' slice.ndjson >>bad-day.ndjson
expect_code 31 'a reject rate over MAX_REJECT_PCT stops at the gate' '
	daily_config rej.conf "$TRASH/f" FEATURES=$FEATURES ERP_FILE=$TRASH/bad-day.ndjson
	"$DAILY" --config rej.conf --date 2025-03-12 2>rej.err
'
expect_success '... naming the rate; the reject is in the day'"'"'s rejects file' '
	n=$(day_records bad-day.ndjson 2025-03-12 | wc -l)
	grep -q "gate: erp: 1 of $n records rejected, over MAX_REJECT_PCT=5%" rej.err
	run=$(gate_last_run)
	grep -q "999999" "$run/2025-03-12/erp.rejects"
	state_unchanged
'
expect_success 'the same day passes with MAX_REJECT_PCT=20' '
	daily_config rej20.conf "$TRASH/r" FEATURES=$FEATURES ERP_FILE=$TRASH/bad-day.ndjson \
		MAX_REJECT_PCT=20 GOLD=none
	"$DAILY" --config rej20.conf --date 2025-03-12
'

# A stand-in ERP extract (test only) whose newest record is three days old.
mkdir -p stale
cat >stale/nc-extract-erp <<EOF
#!/bin/sh
jq -c 'select(.date == "2025-03-11")' "$TRASH/slice.ndjson"
EOF
chmod +x stale/nc-extract-erp
expect_code 31 'data older than MAX_AGE_HOURS stops at the gate' '
	daily_config stale.conf "$TRASH/f" FEATURES=$FEATURES ERP_SOURCE=pg "NC_BIN=$TRASH/stale:$NC_BIN"
	"$DAILY" --config stale.conf --date $DAY 2>stale.err
'
expect_success '... saying how old' '
	grep -q "gate: erp: newest data 2025-03-11 is 72h old, over MAX_AGE_HOURS=48" stale.err
	state_unchanged
'
expect_success 'with MAX_AGE_HOURS=72 the same data passes' '
	daily_config stale72.conf "$TRASH/s" FEATURES=$FEATURES ERP_SOURCE=pg \
		"NC_BIN=$TRASH/stale:$NC_BIN" MAX_AGE_HOURS=72 GOLD=none
	"$DAILY" --config stale72.conf --date $DAY
'

# Several runs a second apart at most: their directories still sort in the
# order the runs were made, and log/latest is the newest.
expect_success 'run directories sort in run order; log/latest is the newest' '
	for i in 1 2 3; do
		"$DAILY" --config good.conf --date $GOOD 2>/dev/null || return 1
		readlink -f "$TRASH/f/log/latest" >>made.order
	done
	ls -d "$TRASH"/f/log/2*/ | sed "s#/\$##" | sort | tail -n 3 >sorted.order
	cmp_files made.order sorted.order
'

done_testing
