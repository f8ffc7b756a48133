#!/bin/sh
# t1260-serve-stream: the live stream (Server-Sent Events): the alerts and
# loads committed after a client connected reach it within 2 seconds, in
# order, once; its filters; many clients at once while the API answers;
# SIGTERM ends the streams and exits 0.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/serve-lib.sh"

make_store nc.db >store.log 2>&1 || { echo "Bail out! cannot make the store"; cat store.log; exit 1; }
NC_API_TOKEN=tok serve_start -d nc.db -i 100 -c 200 ||
	{ echo "Bail out! nc-serve did not start"; cat serve.log; exit 1; }
AUTH="Authorization: Bearer tok"

# sse_data FILE KIND: the data lines of the events of that kind.
sse_data() {
	awk -v k="$2" '/^event: / { ev = substr($0, 8) } /^data: / && ev == k { print substr($0, 7) } /^$/ { ev = "" }' "$1"
}

# wait_for N FILE KIND: until FILE has N events of KIND (at most 2 s
# after the call, the issue's bound).
wait_for() {
	_i=0
	while test "$(sse_data "$2" "$3" | wc -l)" -lt "$1"; do
		_i=$((_i + 1))
		test $_i -le 40 || { echo "$(sse_data "$2" "$3" | wc -l) of $1 $3 events in 2 s"; return 1; }
		sleep 0.05
	done
}

expect_success 'a client gets nothing loaded before it connected' '
	curl -sN -m 1 -H "$AUTH" "$U/api/v1/stream" >old.sse || :
	grep -q "^retry: " old.sse && ! grep -q "^event: " old.sse
'

curl -sN -H "$AUTH" "$U/api/v1/stream" >all.sse 2>/dev/null &
c1=$!
curl -sN -H "$AUTH" "$U/api/v1/alerts/stream?level=VERMELHO" >red.sse 2>/dev/null &
c2=$!
curl -sN -H "$AUTH" "$U/api/v1/stream?item_id=040007" >one.sse 2>/dev/null &
c3=$!
sleep 0.5

expect_success 'a load reaches every client within 2 s: each alert once, then the load' '
	nc-store load -d nc.db -p 2026-11-27 alerts <al.ndjson 2>/dev/null &&
	wait_for "$(wc -l <al.ndjson)" all.sse alert &&
	wait_for 1 all.sse load &&
	sse_data all.sse alert | jq -c . >got.ndjson && jq -c . al.ndjson >want.ndjson &&
	cmp_files want.ndjson got.ndjson &&
	sse_data all.sse load | jq -e ".dataset == \"alerts\" and .partition == \"2026-11-27\" and .rows == $(wc -l <al.ndjson)"
'

expect_success 'level= keeps only those alerts, and no load events' '
	want=$(jq -c "select(.level == \"VERMELHO\")" al.ndjson | wc -l) &&
	wait_for "$want" red.sse alert &&
	sse_data red.sse alert | jq -c . >got.ndjson &&
	jq -c "select(.level == \"VERMELHO\")" al.ndjson >want.ndjson && cmp_files want.ndjson got.ndjson &&
	! grep -q "^event: load" red.sse
'

expect_success 'item_id= keeps only that item'"'"'s alerts' '
	wait_for 1 one.sse alert && sse_data one.sse alert | jq -e ".item_id == \"040007\"" &&
	test "$(sse_data one.sse alert | wc -l)" = 1
'

expect_success 'a load of another dataset is a load event only; ids only grow' '
	nc-store load -d nc.db -p 2026-11-27 reorder <ro.ndjson 2>/dev/null &&
	wait_for 2 all.sse load &&
	test "$(sse_data all.sse alert | wc -l)" = "$(wc -l <al.ndjson)" &&
	sed -n "s/^id: //p" all.sse >ids && sort -n -u ids >ids.sorted && cmp_files ids ids.sorted
'

expect_success 'stream: bad parameters are 400, no token is 401' '
	test "$(status "$U/api/v1/stream?level=ROXO" -H "$AUTH")" = 400 && is_error &&
	test "$(status "$U/api/v1/stream?colour=red" -H "$AUTH")" = 400 && is_error &&
	test "$(status "$U/api/v1/stream?item_id=%ff" -H "$AUTH")" = 400 && is_error &&
	test "$(status "$U/api/v1/stream")" = 401 &&
	test "$(status "$U/api/v1/stream" -X POST -H "$AUTH")" = 405
'

expect_success 'the stream is text/event-stream, not cached' '
	curl -sN -m 1 -D sse.head -o /dev/null -H "$AUTH" "$U/api/v1/stream" || :
	tr -d "\r" <sse.head | grep -qi "^content-type: text/event-stream" &&
	tr -d "\r" <sse.head | grep -qi "^cache-control: no-store"
'

# Many clients: each gets every alert of 10 loads made while they listen,
# none lost or twice, and the API keeps answering meanwhile.
N=60
i=0
pids=
while test $i -lt $N; do
	curl -sN -H "$AUTH" "$U/api/v1/stream?level=VERMELHO,AMARELO,VERDE,ENCOMENDA" >many.$i.sse 2>/dev/null &
	pids="$pids $!"
	i=$((i + 1))
done
sleep 1
expect_success "$N clients each get every alert of 10 loads once; the API answers meanwhile" '
	for d in 01 02 03 04 05 06 07 08 09 10; do
		jq -c ".alert_id = (.alert_id + \"-$d\")" al.ndjson >day.ndjson
		nc-store load -d nc.db -p 2026-12-$d alerts <day.ndjson 2>/dev/null
		test "$(status "$U/api/v1/alerts" -H "$AUTH")" = 200
	done
	want=$(( $(wc -l <al.ndjson) * 10 ))
	i=0
	while test $i -lt '"$N"'; do
		wait_for $want many.$i.sse alert
		sse_data many.$i.sse alert | jq -r .alert_id >ids.$i
		test "$(sort -u ids.$i | wc -l)" = $want || exit 1
		test "$(wc -l <ids.$i)" = $want || exit 1
		i=$((i + 1))
	done
'

expect_success 'the log has no token' '! grep -qw tok serve.log && grep -q " access " serve.log'

# A client that does not read holds up no one: its thread waits on its
# socket, the others read the ring at their pace.
cat >stuck.py <<'EOF'
import os, socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.connect(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"GET /api/v1/stream HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer tok\r\n\r\n")
open("stuck.ready", "w").close()
while not os.path.exists("stuck.go"):
    time.sleep(0.05)
EOF
python3 stuck.py "$PORT" &
stuck=$!
curl -sN -H "$AUTH" "$U/api/v1/stream" >fast.sse 2>/dev/null &
fast=$!
i=0; until test -e stuck.ready || test $i -gt 100; do sleep 0.05; i=$((i + 1)); done
sleep 0.5
expect_success 'a client that does not read holds up no one: another gets 3,000 alerts' '
	jq -c --slurpfile a al.ndjson -n "range(1; 601) as \$i | \$a[] | .alert_id += \"-\(\$i)\"" >many.ndjson &&
	test "$(wc -l <many.ndjson)" = 3000 &&
	nc-store load -d nc.db -p 2026-12-20 alerts <many.ndjson 2>/dev/null &&
	i=0 && until test "$(sse_data fast.sse alert | wc -l)" -ge 3000; do
		i=$((i + 1)); test $i -lt 200; sleep 0.05
	done &&
	test "$(sse_data fast.sse alert | jq -r .alert_id | sort -u | wc -l)" = 3000 &&
	test "$(status "$U/api/v1/alerts" -H "$AUTH")" = 200
'
touch stuck.go
wait $stuck
kill $fast 2>/dev/null

st=0; serve_stop || st=$?
expect_success 'SIGTERM with streams open: exit 0' "test $st = 0"

expect_success 'the streams ended when the server stopped' '
	for p in '"$c1 $c2 $c3 $pids"'; do
		i=0
		while kill -0 $p 2>/dev/null; do
			i=$((i + 1)); test $i -lt 40 || { echo "client $p still running"; exit 1; }
			sleep 0.05
		done
	done
'

done_testing
