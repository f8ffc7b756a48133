#!/bin/sh
# t1282-serve-pg: nc-serve on a PostgreSQL store (-d postgresql://...):
# the API answers from it with the same records as nc-store loaded, its
# errors are the same, and the stream pushes a new alert within 2 s of an
# nc-store load, learnt through LISTEN/NOTIFY (nc-store's load NOTIFYs
# nc_loads in its transaction).
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/pg.sh"
. "$TESTS_DIR/serve-lib.sh"
pg_start || { echo "not ok 1 - a PostgreSQL server starts"; echo "1..1"; exit 1; }
# Both: the server stopped and nc-serve killed, whatever happens.
trap 'for p in $SERVE_PIDS; do kill -9 $p 2>/dev/null; done; pg_stop; rm -rf "$TRASH"' EXIT
DB="postgresql:///$PGDATABASE?host=$PGHOST&port=$PGPORT&user=$PGUSER"

make_store "$DB" >store.log 2>&1 || { echo "Bail out! cannot make the store"; cat store.log; exit 1; }
serve_start -d "$DB" -i 100 || { echo "Bail out! nc-serve did not start"; cat serve.log; exit 1; }

# sse_data FILE KIND: the data lines of the events of that kind.
sse_data() {
	awk -v k="$2" '/^event: / { ev = substr($0, 8) } /^data: / && ev == k { print substr($0, 7) } /^$/ { ev = "" }' "$1"
}

# wait_for N FILE KIND: until FILE has N events of KIND, at most 2 s.
wait_for() {
	_i=0
	while test "$(sse_data "$2" "$3" | wc -l)" -lt "$1"; do
		_i=$((_i + 1))
		test $_i -le 40 || { echo "# $(sse_data "$2" "$3" | wc -l) of $1 $3 events in 2 s"; return 1; }
		sleep 0.05
	done
}

expect_success 'health: 200 from PostgreSQL, each dataset'"'"'s last load' '
	test "$(status "$U/health")" = 200
	jq -e ".store == \"postgresql\"" body.out
	jq -e ".datasets.alerts.rows == $(wc -l <al.ndjson)" body.out
	jq -e ".datasets.forecasts.partition == \"2026-11-26\"" body.out
'

expect_success 'the start-up line names the store without its parameters' '
	grep -q "store postgresql:///postgres," serve.log
'

expect_success 'alerts: every record as loaded, in load order' '
	test "$(status "$U/api/v1/alerts?limit=1000")" = 200
	jq -c ".items[]" body.out >got.ndjson
	jq -c . al.ndjson >want.ndjson
	cmp_files want.ndjson got.ndjson
	jq -e ".total == $(wc -l <al.ndjson)" body.out
'

expect_success 'filters are bound parameters: level, item_id, dates' '
	test "$(status "$U/api/v1/alerts?level=VERMELHO,AMARELO&limit=1000")" = 200
	jq -e ".total == $(jq -c "select(.level == \"VERMELHO\" or .level == \"AMARELO\")" al.ndjson | wc -l)" body.out
	id=$(jq -r .item_id "$FC" | head -n 1)
	test "$(status "$U/api/v1/forecasts?item_id=$id&limit=1000")" = 200
	jq -e ".total == $(jq -c "select(.item_id == \"$id\")" "$FC" | wc -l)" body.out
	d=$(jq -r .date "$FC" | sort | sed -n 3p)
	test "$(status "$U/api/v1/forecasts?start_date=$d&limit=1")" = 200
	jq -e ".total == $(jq -c "select(.date >= \"$d\")" "$FC" | wc -l)" body.out
'

expect_success 'a quote in a value is data, not SQL' '
	test "$(status "$U/api/v1/alerts?item_id=x%27%20OR%20%271%27=%271")" = 200
	jq -e ".total == 0" body.out
'

expect_success 'paging: limit, offset (in the store'"'"'s _seq order), next; NDJSON on request' '
	test "$(status "$U/api/v1/forecasts?limit=5&offset=5")" = 200
	jq -c ".items[]" body.out >got.ndjson
	psql -XAtc "SELECT record FROM forecasts ORDER BY _seq LIMIT 5 OFFSET 5" | jq -c . >want.ndjson
	cmp_files want.ndjson got.ndjson
	jq -e ".next == \"/api/v1/forecasts?limit=5&offset=10\"" body.out
	test "$(status "$U/api/v1/reorder?limit=1000" -H "Accept: application/x-ndjson")" = 200
	test "$(wc -l <body.out)" = "$(wc -l <ro.ndjson)"
'

expect_success 'an item: its forecasts, reorder record, alerts and name' '
	id=$(jq -r .item_id al.ndjson | head -n 1)
	test "$(status "$U/api/v1/items/$id")" = 200
	jq -e ".item_id == \"$id\" and (.forecasts | length) > 0 and (.alerts | length) > 0" body.out
	jq -e ".item_name == $(jq -c "select(.item_id == \"$id\") | .item_name" ro.ndjson | head -n 1)" body.out
	test "$(status "$U/api/v1/items/nosuchitem")" = 404
'

expect_success 'ETag from the last load; If-None-Match answers 304' '
	test "$(status "$U/api/v1/alerts")" = 200
	tag=$(header ETag)
	test -n "$tag"
	test "$(status "$U/api/v1/alerts" -H "If-None-Match: $tag")" = 304
'

expect_success 'bad parameters are 400 as on SQLite' '
	test "$(status "$U/api/v1/forecasts?limit=0")" = 400
	is_error
	test "$(status "$U/api/v1/forecasts?start_date=2026-02-30")" = 400
	is_error
'

curl -sN "$U/api/v1/alerts/stream" >all.sse 2>/dev/null &
c1=$!
sleep 0.5

expect_success 'a new alert loaded into PostgreSQL reaches the stream within 2 s' '
	jq -c ".item_id = \"PG-\" + .item_id" al.ndjson | head -n 3 >new.ndjson
	nc-store load -d "$DB" -p 2026-11-27 alerts <new.ndjson 2>/dev/null
	wait_for 3 all.sse alert
	wait_for 1 all.sse load
	sse_data all.sse alert | jq -c . >got.ndjson
	cmp_files new.ndjson got.ndjson
	sse_data all.sse load | jq -e ".dataset == \"alerts\" and .partition == \"2026-11-27\" and .rows == 3"
'

expect_success 'the API answers from the new run at once' '
	test "$(status "$U/api/v1/alerts")" = 200
	jq -e ".total == 3" body.out
	jq -e "[.items[].item_id | startswith(\"PG-\")] | all" body.out
'

expect_success 'a load rolled back is never announced' '
	printf "{\"item_id\": broken\n" >bad.ndjson
	if nc-store load -d "$DB" -p 2026-11-28 alerts <bad.ndjson 2>/dev/null; then :; fi
	sleep 0.5
	test "$(sse_data all.sse load | wc -l)" = 1
'
kill $c1 2>/dev/null

st=0; serve_stop || st=$?
expect_success 'SIGTERM: exits 0' "test $st = 0"

# HTTPS on PostgreSQL, and nc-serve(1)'s example of it.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
	-addext "subjectAltName=DNS:localhost" -keyout key.pem -out cert.pem >openssl.log 2>&1 ||
	echo "# openssl cannot make a certificate"
# The store from NC_DB this time, as nc-store takes it.
NC_DB=$DB
export NC_DB
LOG=tls.log serve_start --cert cert.pem --key key.pem || echo "# nc-serve --cert did not start"
unset NC_DB
man_examples "$SRC_DIR/man/nc-serve.1" | grep https: |
	sed -e "s/:8080/:$PORT/g" -e "s|/etc/nc/cert.pem|$TRASH/cert.pem|g" >examples
expect_success 'nc-serve(1) has an HTTPS example' 'test "$(wc -l <examples)" -ge 1'
while IFS= read -r ex; do
	expect_success "example: $ex" "$ex >/dev/null"
done <examples
expect_success 'HTTPS on PostgreSQL: the alerts of the last run' '
	test "$(status "https://localhost:$PORT/api/v1/alerts" --cacert cert.pem)" = 200
	jq -e ".total == 3" body.out
'
expect_success 'loads during queries: every answer is 200 and whole, from one run or the other' '
	n=$(wc -l <al.ndjson)
	(for i in 1 2 3 4 5 6; do
		nc-store load -d "$DB" -p 2026-11-27 alerts <al.ndjson 2>/dev/null
		nc-store load -d "$DB" -p 2026-11-27 alerts <new.ndjson 2>/dev/null
	done) &
	loader=$!
	bad=0
	for i in $(seq 1 80); do
		st=$(status "https://localhost:$PORT/api/v1/alerts?limit=1000" --cacert cert.pem)
		test "$st" = 200 || { bad=$((bad + 1)); echo "# status $st"; continue; }
		jq -e "(.total == 3 or .total == $n) and (.items | length) == .total" body.out >/dev/null ||
			{ bad=$((bad + 1)); echo "# $(head -c 200 body.out)"; }
	done
	wait $loader
	test $bad = 0
'

# The server restarted under nc-serve: its pooled sessions and the
# feed's LISTEN are lost; nc-serve must find out by itself.
pg_stop
_pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 30 \
	-o "-k $PG_DIR -p $PGPORT -h 127.0.0.1 -c fsync=off -c full_page_writes=off" \
	start >/dev/null 2>&1 || echo "# PostgreSQL did not restart"
expect_success 'PostgreSQL restarted: the next requests are 200, no 503 from stale sessions' '
	for i in 1 2 3 4 5 6 7 8 9 10; do
		st=$(status "https://localhost:$PORT/api/v1/alerts" --cacert cert.pem)
		test "$st" = 200
	done
'
curl -sN --cacert cert.pem "https://localhost:$PORT/api/v1/alerts/stream" >after.sse 2>/dev/null &
c2=$!
sleep 1.5
expect_success '... and the stream has its LISTEN back: a load reaches it within 2 s' '
	jq -c ".item_id = \"RS-\" + .item_id" al.ndjson | head -n 2 >rs.ndjson
	nc-store load -d "$DB" -p 2026-11-30 alerts <rs.ndjson 2>/dev/null
	wait_for 2 after.sse alert
	sse_data after.sse alert | jq -c . >got.ndjson
	cmp_files rs.ndjson got.ndjson
'
kill $c2 2>/dev/null

st=0; serve_stop || st=$?
expect_success 'SIGTERM: exits 0' "test $st = 0"

pg_stop
serve_start -d "$DB" || echo "# nc-serve did not start without its server"
expect_success 'the server down: /health and the API answer 503 with a reason, no crash' '
	test "$(status "$U/health")" = 503
	jq -e ".error == \"store unavailable\"" body.out
	test "$(status "$U/api/v1/alerts")" = 503
	is_error
	test -n "$(header Retry-After)"
	kill -0 "$SERVE_PID"
'
expect_success '... the clients are not told the server'"'"'s address; the log is, once' '
	test "$(status "$U/health")" = 503
	jq -e ".detail | test(\"127.0.0.1|port\") | not" body.out
	sleep 1
	test "$(grep -c "warning: PostgreSQL: connection to server" serve.log)" = 1
'
st=0; serve_stop || st=$?
expect_success 'and SIGTERM still exits 0' "test $st = 0"

done_testing
