#!/bin/sh
# t1286-serve-faults: nc-serve when things go wrong around it: a SQLite
# store locked by another process answers 503 with a JSON reason within a
# few seconds (not a hang, not a crash) while what needs no store goes on,
# and 200 again once the lock is gone; a client that sends nothing is
# dropped after -t; more clients than -c do not stop the server.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/serve-lib.sh"

make_store nc.db >store.log 2>&1 || { echo "Bail out! cannot make the store"; cat store.log; exit 1; }

# The lock first (exclusive locking mode keeps every other process out
# of a WAL file), then nc-serve; the holder lets go when lock.go exists.
{
	printf 'PRAGMA locking_mode = EXCLUSIVE;\nBEGIN EXCLUSIVE;\nSELECT count(*) FROM nc_loads;\n'
	while test ! -e lock.go; do sleep 0.1; done
	printf 'COMMIT;\n'
} | sqlite3 nc.db >lock.out 2>&1 &
LOCK_PID=$!
i=0
until test -s lock.out; do i=$((i + 1)); test $i -lt 100 || break; sleep 0.05; done

serve_start -d nc.db -i 100 || { echo "Bail out! nc-serve did not start"; cat serve.log; exit 1; }

expect_success 'the lock is held by another process' '
	grep -q "^exclusive" lock.out
	if sqlite3 nc.db "SELECT count(*) FROM nc_loads" 2>/dev/null; then exit 1; fi
'

expect_success 'locked: the API is 503 with a JSON reason and Retry-After, within 5 s' '
	test "$(status "$U/api/v1/alerts" -m 5)" = 503
	jq -e ".error == \"store unavailable\" and (.detail | test(\"locked\"))" body.out
	test -n "$(header Retry-After)"
	test "$(header Content-Type)" = application/json
'

expect_success 'locked: /health and an item are 503 too' '
	test "$(status "$U/health" -m 5)" = 503
	is_error
	test "$(status "$U/api/v1/items/010825" -m 5)" = 503
	is_error
'

expect_success 'locked: the page and bad requests need no store and still answer' '
	test "$(status "$U/" -m 5)" = 200
	test "$(status "$U/api/v1/alerts?limit=0" -m 5)" = 400
	test "$(status "$U/nosuch" -m 5)" = 404
'

man_examples "$SRC_DIR/man/nc-serve.1" | grep http_code | sed "s/:8080/:$PORT/g" >example
expect_success 'locked: nc-serve(1)'"'"'s example of the status prints 503' '
	test -s example
	test "$(sh example)" = 503
'

expect_success 'locked: ten requests at once all answer 503, none hangs' '
	for i in 1 2 3 4 5 6 7 8 9 10; do
		curl -s -m 8 -o /dev/null -w "%{http_code}\n" "$U/api/v1/forecasts?limit=$i" >>par.out &
	done
	wait
	test "$(sort -u par.out)" = 503
'

touch lock.go
wait $LOCK_PID

expect_success 'the lock gone: 200 again, no restart' '
	test "$(status "$U/api/v1/alerts")" = 200
	jq -e ".total == $(wc -l <al.ndjson)" body.out
	test "$(status "$U/health")" = 200
'

# The same load ids as the old file (forecasts 1, reorder 2, alerts 3):
# nothing learnt of the old one may be taken for the new.
expect_success 'a store file replaced by another (a restore): answers from the new one, no 503' '
	nc-store load -d new.db -p 2026-11-26 -k forecast_id forecasts <"$FC" 2>/dev/null
	nc-store load -d new.db -p 2026-11-26 reorder <ro.ndjson 2>/dev/null
	head -n 2 al.ndjson >two.ndjson
	nc-store load -d new.db -p 2026-11-26 alerts <two.ndjson 2>/dev/null
	mv new.db nc.db
	test "$(status "$U/api/v1/alerts")" = 200
	jq -e ".total == 2 and (.items | length) == 2" body.out
	test "$(status "$U/health")" = 200
	jq -e ".datasets.alerts.load_id == 3 and .datasets.alerts.rows == 2" body.out
'

expect_success 'the server lived through it: its log has no error' '
	kill -0 "$SERVE_PID"
	if grep -q "error" serve.log; then exit 1; fi
'

st=0; serve_stop || st=$?
expect_success 'SIGTERM: exits 0' "test $st = 0"

LOG=slow.log serve_start -d nc.db --timeout 1 -c 3 || echo "# nc-serve --timeout 1 did not start"
expect_success 'a client that sends nothing is dropped after --timeout 1' '
	python3 -c "
import socket, sys, time
s = socket.create_connection((\"127.0.0.1\", $PORT))
s.settimeout(5)
t = time.time()
d = s.recv(100)
sys.exit(0 if d == b\"\" and time.time() - t < 4 else 1)
"
'

st=0; serve_stop || st=$?
expect_success 'SIGTERM: exits 0' "test $st = 0"

LOG=full.log serve_start -d nc.db --timeout 10 -c 3 || echo "# nc-serve -c 3 did not start"
python3 -c "
import socket, time
socks = [socket.create_connection(('127.0.0.1', $PORT)) for i in range(3)]
open('held', 'w').write('3')
time.sleep(2)
" &
HOLD_PID=$!
i=0
until test -e held; do i=$((i + 1)); test $i -lt 100 || break; sleep 0.05; done
sleep 0.2

expect_success 'three idle clients hold -c 3: a fourth is turned away at once' '
	code=$(curl -s -m 3 -o /dev/null -w "%{http_code}" "$U/health" || :)
	test "$code" = 000
'
wait $HOLD_PID
expect_success 'they gone, the server answers again' '
	test "$(status "$U/health")" = 200
'

st=0; serve_stop || st=$?
expect_success 'SIGTERM: exits 0' "test $st = 0"

done_testing
