#!/bin/sh
# t0975-daily-shards: scripts/nc-daily's sharded mode for real on this
# machine: three "hosts" reached by ssh (an sshd of the test's own, on free
# ports of 127.0.0.1, one per host, each giving its sessions that host's
# directory of programs and .pgpass), GNU parallel, one PostgreSQL server
# whose shard role needs a password.  The union of the shards' forecasts,
# reorder rows and alerts is the single-host run's, byte for byte after
# sorting, size_cv included (nc-forecast --pool: the pool stage's pool of
# every series, merged from the shards' parts); a shard that fails once is
# retried and the day commits; a failed pool merge, a shard whose part of
# the pool always fails or a shard that always fails leaves the day
# uncommitted, and a rerun commits it once.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/daily-lib.sh"
. "$TESTS_DIR/pg.sh"

D1=2025-03-13
D2=2025-03-14
HOSTS='h1 h2 h3'

pg_start || { echo "not ok 1 - a PostgreSQL server starts"; echo "1..1"; exit 1; }
trap 'ssh_hosts_stop; pg_stop; rm -rf "$TRASH"' EXIT

SHARD=$SRC_DIR/scripts/nc-daily-shard
expect_code 0 'nc-daily-shard -h prints its usage' '"$SHARD" -h >h.out' '
	head -n 1 h.out | grep -q "^usage: nc-daily-shard"
'
expect_success 'nc-daily-shard -V prints a version line' '
	"$SHARD" -V | grep -Eq "^nc-daily-shard .*[0-9]+\.[0-9]+"
'
for bad in '--shard 0/3 --date 2025-03-14' '--shard 1/3 --date today' '--shard 1/3' '--bogus'; do
	expect_code 2 "nc-daily-shard $bad: usage error" '
		NC_DB=postgresql://nc@127.0.0.1:1/x "$SHARD" '"$bad"' 2>bad.err
	'
done
expect_code 2 'nc-daily-shard with a SQLite NC_DB: usage error' '
	NC_DB=nc.db "$SHARD" --shard 1/3 --date 2025-03-14 2>bad.err
'
daily_config bad.conf "$TRASH/bad" "NC_SHARD_HOSTS=h1"
expect_code 2 'nc-daily sharded on a SQLite store: configuration error' '
	"$DAILY" --config bad.conf --date $D1 2>bad.err
' '
	grep -q "needs a postgresql:// NC_DB" bad.err
'
daily_config bad.conf "$TRASH/bad" "NC_SHARD_HOSTS=h1" "NC_DB=postgresql://nc:hunter2@db/nc"
expect_code 2 'nc-daily sharded with a password in NC_DB: configuration error' '
	"$DAILY" --config bad.conf --date $D1 2>bad.err
' '
	grep -q "NC_DB holds a password" bad.err
	refute grep -q hunter2 bad.err
'

# The shards' role logs in with a password over TCP (scram); the test's
# own connections (the socket) are trusted.
PW=shard-secret-$$
psql -Xq -c "CREATE ROLE nc LOGIN PASSWORD '$PW'" -c 'CREATE DATABASE single' \
	-c 'CREATE DATABASE shards OWNER nc' >/dev/null
{
	echo "host all nc 127.0.0.1/32 scram-sha-256"
	cat "$PG_DIR/data/pg_hba.conf"
} >"$TRASH/hba" && cat "$TRASH/hba" >"$PG_DIR/data/pg_hba.conf"
_pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" reload >/dev/null
SHARD_DB="postgresql://nc@127.0.0.1:$PGPORT/shards"
SINGLE_DB="postgresql:///single?host=$PGHOST&port=$PGPORT&user=postgres"

# The hosts: each its own directory of programs (a copy of the build's
# and of nc-daily-shard) and its own password file.
for h in $HOSTS coord; do
	mkdir -p "$TRASH/$h/bin"
	cp "$NC_BIN"/nc-* "$SRC_DIR/scripts/nc-daily-shard" "$TRASH/$h/bin/"
	echo "127.0.0.1:$PGPORT:*:nc:$PW" >"$TRASH/$h/pgpass"
	chmod 600 "$TRASH/$h/pgpass"
done

# sshd on one free port per host, each port giving its sessions that
# host's PATH and PGPASSFILE.
SSHD_PID=
ssh_hosts_start "$TRASH" $HOSTS
expect_success 'the three hosts answer over ssh, each with its own programs' '
	for h in $HOSTS; do
		ssh -F "$TRASH/ssh/config" $h "command -v nc-daily-shard" >>where.out
	done
	printf "%s\n" "$TRASH/h1/bin/nc-daily-shard" "$TRASH/h2/bin/nc-daily-shard" \
		"$TRASH/h3/bin/nc-daily-shard" >where.want
	cmp_files where.want where.out
'

# The data: the sample's history up to the day before D1 in silver (both
# stores), D1 and D2 as the ERP extracts of the runs.
LC_ALL=C daily_slice 2024-10-01 $D2 >slice.ndjson
jq -c --arg d $D1 'select(.date < $d)' slice.ndjson >history.ndjson
nc-transform -k item_id,site_id --now $DAILY_NOW history.ndjson >silver-history.ndjson
expect_success 'the history loads into both stores' '
	nc-store load -d "$SINGLE_DB" -k item_id,site_id,date silver <silver-history.ndjson
	PGPASSFILE=$TRASH/coord/pgpass nc-store load -d "$SHARD_DB" -k item_id,site_id,date silver \
		<silver-history.ndjson
'

# Lead times pooled by supplier and family (no --lead-time), as in
# production.
daily_config single.conf "$TRASH/single" "NC_DB='$SINGLE_DB'" JOBS=2 REORDER_OPTS=
expect_success "the single-host run of $D1 and $D2" '
	"$DAILY" --config single.conf --from $D1 --to $D2 2>single.err || { cat single.err; exit 1; }
'

# gold DB DATASET DAY: the day's partition of a dataset, sorted.
gold() {
	PGPASSFILE=$TRASH/coord/pgpass nc-store dump -d "$1" -p "$3" "$2" | LC_ALL=C sort
}

daily_config shards.conf "$TRASH/shards" "NC_DB='$SHARD_DB'" JOBS=2 REORDER_OPTS= \
	"NC_SHARD_HOSTS='$HOSTS'" "NC_SHARD_SSH='ssh -F $TRASH/ssh/config'" \
	"PGPASSFILE=$TRASH/coord/pgpass" "export PGPASSFILE"

# A wrapper of nc-forecast on every host: it fails the first time any
# shard calls it to forecast (fail-once), or every time shard 2 does
# (fail-always), or every time shard 2 makes its part of the pool
# (part-always: phase A).
inject() {
	for h in $HOSTS; do
		test -f "$TRASH/$h/bin/nc-forecast.real" ||
			mv "$TRASH/$h/bin/nc-forecast" "$TRASH/$h/bin/nc-forecast.real"
		cat >"$TRASH/$h/bin/nc-forecast" <<EOF
#!/bin/sh
part=
for a; do test "\$a" != --pool-part || part=1; done
case $1\$part in
part-always1) test "\$PARALLEL_SEQ" != 2 || { echo "injected failure: part" >&2; exit 1; } ;;
*1) ;;
once) mkdir "$TRASH/failed-once" 2>/dev/null && { echo "injected failure: once" >&2; exit 1; } ;;
always) test "\$PARALLEL_SEQ" != 2 || { echo "injected failure: always" >&2; exit 1; } ;;
esac
exec "\$(dirname "\$0")/nc-forecast.real" "\$@"
EOF
		chmod +x "$TRASH/$h/bin/nc-forecast"
	done
}
inject once

expect_success "the sharded run of $D1, one shard failing once, commits" '
	"$DAILY" --config shards.conf --date $D1 2>shards1.err || { cat shards1.err; exit 1; }
'
RUN1=$(ls -d "$TRASH"/shards/log/2*/ | head -n 1)
# same DAY: the shards' forecasts, reorder rows and alerts of DAY are the
# single host's, byte for byte after sorting, and once each.
same() {
	for ds in forecasts reorder alerts; do
		expect_success "$1: the shards' $ds are the single host's, byte for byte after sorting" '
			gold "$SINGLE_DB" '$ds' '$1' >want
			gold "$SHARD_DB" '$ds' '$1' >got
			test -s want
			cmp_files want got
		'
	done
}
same $D1
expect_success 'the gathered forecasts are in the single host'"'"'s order, for nc-reorder'"'"'s pools' '
	cp "$(ls -d "$TRASH"/single/log/2*/)$D1/forecast.ndjson" want
	test "$(grep -c "\"size_cv\":[0-9]" want)" -gt 0
	cmp_files want "$RUN1/$D1/forecast.ndjson"
'
expect_success 'the pool stage pooled every series once, here; each shard used it' '
	jq -e ".series > 0 and (.size_cv | type) == \"number\"" "$RUN1/$D1/pool.json" >/dev/null
	grep -q "^pool merge on .*: nc-daily-shard: start, day $D1, the pool of 3 parts" "$RUN1/$D1/pool.log"
	test "$(grep -c "^pool part of shard [123]/3 on h[123]: nc-daily-shard: done" "$RUN1/$D1/pool.log")" = 3
	grep -q "the features of the pool stage, kept in" "$RUN1/$D1/shards-attempts.log"
	refute grep -q "no NC_SHARD_POOL" "$RUN1/$D1/shards-attempts.log"
'
expect_success 'the failed attempt is in the day'"'"'s attempts log, and was retried' '
	grep -q "shard [0-9]/3 on h[123]: nc-daily-shard: failed" "$RUN1/$D1/shards-attempts.log"
	grep -q "injected failure: once" "$RUN1/$D1/shards-attempts.log"
	test -d "$TRASH/failed-once"
'
expect_success 'the joblog has the three shards, each succeeded' '
	awk -F "\t" "NR > 1 { print \$7 }" "$RUN1/$D1/shards.joblog" >exits
	printf "0\n0\n0\n" >exits.want
	cmp_files exits.want exits
'
expect_success 'the day'"'"'s state is committed, the single host'"'"'s (as a JSON object)' '
	jq -S . "$TRASH/single/state/days/$D1/alert.state" >want
	jq -S . "$TRASH/shards/state/days/$D1/alert.state" >got
	test -s got
	cmp_files want got
'
expect_success 'the shards'"'"' partitions are emptied once gathered' '
	PGPASSFILE=$TRASH/coord/pgpass nc-store dump -d "$SHARD_DB" shard_forecasts >left
	test ! -s left
'
expect_success 'the password reached no log and no command line' '
	refute grep -r -q "$PW" "$TRASH/shards/log"
'

# The coordinator's programs, its nc-forecast failing for --pool-merge.
mkdir -p "$TRASH/coord-fail/bin"
cp "$NC_BIN"/nc-* "$SRC_DIR/scripts/nc-daily-shard" "$TRASH/coord-fail/bin/"
mv "$TRASH/coord-fail/bin/nc-forecast" "$TRASH/coord-fail/bin/nc-forecast.real"
cat >"$TRASH/coord-fail/bin/nc-forecast" <<EOF
#!/bin/sh
for a; do test "\$a" != --pool-merge || { echo "injected failure: pool" >&2; exit 1; }; done
exec "\$(dirname "\$0")/nc-forecast.real" "\$@"
EOF
chmod +x "$TRASH/coord-fail/bin/nc-forecast"
cp shards.conf pool-fail.conf
echo "NC_BIN=$TRASH/coord-fail/bin" >>pool-fail.conf
cp "$TRASH/shards/state/alert.state" alert.state.before
expect_code 44 "$D2 with the pool stage failing: not committed, status 44" '
	"$DAILY" --config pool-fail.conf --date $D2 2>pool-fail.err
' '
	grep -q "stage pool failed; state not committed" pool-fail.err
	grep -q "injected failure: pool" "$(ls -d "$TRASH"/shards/log/2*/ | sed -n 2p)$D2/pool.log"
'
expect_success '... no shard ran, the state stays where it was, no gold of the day' '
	test ! -e "$(ls -d "$TRASH"/shards/log/2*/ | sed -n 2p)$D2/shards.joblog"
	test ! -e "$TRASH/shards/state/days/$D2"
	cmp_files alert.state.before "$TRASH/shards/state/alert.state"
	for ds in forecasts reorder alerts; do gold "$SHARD_DB" $ds $D2; done >got
	test ! -s got
'

inject part-always
expect_code 44 "$D2 with shard 2's part of the pool failing on every host: not committed, status 44" '
	"$DAILY" --config shards.conf --date $D2 2>part2.err
' '
	grep -q "stage pool failed; state not committed" part2.err
	RUN=$(ls -d "$TRASH"/shards/log/2*/ | sed -n 3p)
	test ! -e "$RUN$D2/shards.joblog"
	test ! -e "$RUN$D2/pool.json"
	test "$(grep -c "pool part of shard 2/3 on h[123]: injected failure: part" "$RUN$D2/shards-attempts.log")" = 2
	test ! -e "$TRASH/shards/state/days/$D2"
	cmp_files alert.state.before "$TRASH/shards/state/alert.state"
'

inject always
expect_code 45 "$D2 with shard 2 failing on every host: not committed, status 45" '
	"$DAILY" --config shards.conf --date $D2 2>shards2.err
' '
	grep -q "stage shards failed; state not committed" shards2.err
'
RUN2=$(ls -d "$TRASH"/shards/log/2*/ | sed -n 4p)
expect_success '... the state stays where it was' '
	test ! -e "$TRASH/shards/state/days/$D2"
	cmp_files alert.state.before "$TRASH/shards/state/alert.state"
'
for ds in forecasts reorder alerts; do
	expect_success "... and no $ds of $D2 are in the store" '
		gold "$SHARD_DB" '$ds' $D2 >got
		test ! -s got
	'
done
expect_success '... shard 2 was tried twice (on two hosts), its messages kept' '
	test "$(grep -c "shard 2/3 on h[123]: injected failure: always" "$RUN2/$D2/shards-attempts.log")" = 2
	awk -F "\t" "NR > 1 && \$1 == 2 { print \$7 }" "$RUN2/$D2/shards.joblog" >exit2
	test "$(cat exit2)" = 1
'

inject none
expect_success "$D2 rerun after the fix commits" '
	"$DAILY" --config shards.conf --date $D2 2>shards3.err || { cat shards3.err; exit 1; }
	test -f "$TRASH/shards/state/days/$D2/alert.state"
'
same $D2
expect_success "a second rerun of $D2 changes nothing" '
	for ds in forecasts reorder alerts; do gold "$SHARD_DB" $ds $D2; done >before
	"$DAILY" --config shards.conf --date $D2 2>shards4.err || { cat shards4.err; exit 1; }
	for ds in forecasts reorder alerts; do gold "$SHARD_DB" $ds $D2; done >after
	cmp_files before after
'

# scripts/nc-daily-shards.conf: the demo's week (weather and economic
# features, HISTORY_START, SETTLE_DAYS, stock per item), sharded, against
# scripts/demo-daily.conf on one host.
# Both start from the sample's silver history before D1.
psql -Xq -c 'CREATE DATABASE demo_single' -c 'CREATE DATABASE demo_shards OWNER nc' >/dev/null
expect_success 'the history loads into both demo stores' '
	nc-store load -d "postgresql:///demo_single?host=$PGHOST&port=$PGPORT&user=postgres" \
		-k item_id,site_id,date silver <silver-history.ndjson
	PGPASSFILE=$TRASH/coord/pgpass nc-store load -d "postgresql://nc@127.0.0.1:$PGPORT/demo_shards" \
		-k item_id,site_id,date silver <silver-history.ndjson
'
expect_success 'the demo week on one host (scripts/demo-daily.conf)' '
	NC_SRC=$SRC_DIR NC_DAILY_DIR=$TRASH/demo1 \
	NC_DB="postgresql:///demo_single?host=$PGHOST&port=$PGPORT&user=postgres" \
		"$DAILY" --config "$SRC_DIR/scripts/demo-daily.conf" \
		--from 2025-03-10 --to 2025-03-16 --gold last 2>demo1.err || { cat demo1.err; exit 1; }
'
expect_success 'the demo week sharded (scripts/nc-daily-shards.conf)' '
	NC_SRC=$SRC_DIR NC_DAILY_DIR=$TRASH/demo3 PGPASSFILE=$TRASH/coord/pgpass \
	NC_DB="postgresql://nc@127.0.0.1:$PGPORT/demo_shards" NC_SHARD_HOSTS="$HOSTS" \
	NC_SHARD_SSH="ssh -F $TRASH/ssh/config" \
		"$DAILY" --config "$SRC_DIR/scripts/nc-daily-shards.conf" \
		--from 2025-03-10 --to 2025-03-16 --gold last 2>demo3.err || { cat demo3.err; exit 1; }
	test -s "$(ls -d "$TRASH"/demo3/log/2*/)2025-03-16/shards.joblog"
'
for ds in forecasts reorder alerts; do
	expect_success "the demo week: the sharded $ds are one host's, byte for byte" '
		gold "postgresql:///demo_single?host=$PGHOST&port=$PGPORT&user=postgres" '$ds' 2025-03-16 >want
		gold "postgresql://nc@127.0.0.1:$PGPORT/demo_shards" '$ds' 2025-03-16 >got
		test -s want
		cmp_files want got
	'
done
expect_code 2 'nc-daily-shards.conf without NC_DB: a configuration error' '
	NC_SRC=$SRC_DIR NC_DAILY_DIR=$TRASH/demo4 NC_SHARD_HOSTS=h1 \
		"$DAILY" --config "$SRC_DIR/scripts/nc-daily-shards.conf" --date 2025-03-16 2>nodb.err
' '
	grep -q "set NC_DB" nodb.err
'

# The sharded EXAMPLES of nc-daily(1), in this test's setting.
marked_examples "$SRC_DIR/man/nc-daily.1" t0975-daily-shards >examples
expect_success 'nc-daily(1) has sharded examples' 'test "$(wc -l <examples)" -ge 3'
while IFS= read -r ex; do
	expect_success "example: $ex" "$ex >/dev/null"
done <examples

done_testing
