#!/bin/sh
# t1270-serve-ws: nc-serve's WebSocket endpoint /ws (RFC 6455) against a
# real client (Debian's python3-websockets) and hand-made frames: the
# handshake and its refusals, the token as the subprotocol nc.bearer.TOKEN
# (as a browser's page sends it), subscribe messages (sent whole and in
# fragments), every alert and load within 2 s of the nc-store load, ping
# and pong, the close handshake, each protocol error's close code, a
# client that does not read, 100 stream clients (WebSocket and SSE) that
# each get every one of 20 alerts once, SIGTERM, and nc-serve(1)'s example.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/serve-lib.sh"

PY=/usr/bin/python3
test -x $PY || PY=python3
$PY -c 'import websockets' 2>/dev/null || { echo "Bail out! python3-websockets is missing (scripts/install-deps)"; exit 1; }
WS="$PY $TESTS_DIR/ws-client.py"

make_store nc.db >store.log 2>&1 || { echo "Bail out! cannot make the store"; cat store.log; exit 1; }
NC_API_TOKEN=tok serve_start -d nc.db -i 100 -c 300 --timeout 3 --cors https://painel.example ||
	{ echo "Bail out! nc-serve did not start"; cat serve.log; exit 1; }
WS_TOKEN=tok
export WS_TOKEN
NALERTS=$(wc -l <al.ndjson)

# handshake UPGRADE VERSION [CURL ARGS]: curl's GET /ws with the token,
# "Connection: Upgrade" and those two headers (X-None: 1 for none); the
# status, headers in head.out, body in body.out.  curl waits after a 101:
# -m 1 ends it.  hs [CURL ARGS]: with the right Upgrade and version.
KEY=dGhlIHNhbXBsZSBub25jZQ==
handshake() {
	_up=$1
	_ver=$2
	shift 2
	rm -f body.out head.out
	curl -s -m 1 -o body.out -D head.out -w '%{http_code}' -H "Authorization: Bearer tok" \
	    -H "Connection: Upgrade" -H "$_up" -H "$_ver" "$@" "$U/ws" || :
}
hs() {
	handshake "Upgrade: websocket" "Sec-WebSocket-Version: 13" "$@"
}

expect_success 'the handshake: 101 and the accept key of RFC 6455 section 1.3' '
	test "$(hs -H "Sec-WebSocket-Key: $KEY")" = 101
	test "$(header Sec-WebSocket-Accept)" = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
	header Upgrade | grep -qix websocket
'

expect_success 'handshake refusals: no Upgrade or another version 426, a bad key 400' '
	test "$(handshake "X-None: 1" "Sec-WebSocket-Version: 13" -H "Sec-WebSocket-Key: $KEY")" = 426
	is_error
	test "$(header Sec-WebSocket-Version)" = 13
	test "$(handshake "Upgrade: websocket" "Sec-WebSocket-Version: 8" -H "Sec-WebSocket-Key: $KEY")" = 426
	test "$(handshake "Upgrade: websocket" "X-None: 1" -H "Sec-WebSocket-Key: $KEY")" = 426
	test "$(hs -H "Sec-WebSocket-Key: c2hvcnQ=")" = 400
	is_error
	test "$(hs)" = 400
	test "$(hs -H "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=x")" = 400
'

expect_success 'handshake refusals: no token 401, POST 405, parameters 400, HTTP/1.0 400' '
	test "$(status "$U/ws" -H "Connection: Upgrade" -H "Upgrade: websocket" -H "Sec-WebSocket-Version: 13" -H "Sec-WebSocket-Key: $KEY")" = 401
	test "$(status "$U/ws" -X POST -H "Authorization: Bearer tok")" = 405
	test "$(status "$U/ws?item_id=010825" -H "Authorization: Bearer tok" -H "Connection: Upgrade" -H "Upgrade: websocket" -H "Sec-WebSocket-Version: 13" -H "Sec-WebSocket-Key: $KEY")" = 400
	is_error
	test "$(hs --http1.0 -H "Sec-WebSocket-Key: $KEY")" = 400
'

expect_success 'Origin: another site 403; this server or a --cors origin 101' '
	test "$(hs -H "Sec-WebSocket-Key: $KEY" -H "Origin: https://evil.example")" = 403
	is_error
	test "$(hs -H "Sec-WebSocket-Key: $KEY" -H "Origin: https://painel.example")" = 101
	test "$(hs -H "Sec-WebSocket-Key: $KEY" -H "Origin: http://127.0.0.1:$PORT")" = 101
'

# wait_lines N FILE [SECONDS]: until FILE has N lines (by default at most
# 2 s: the issue's bound).
wait_lines() {
	_i=0
	while test "$(wc -l <"$2")" -lt "$1"; do
		_i=$((_i + 1))
		test $_i -le $((${3:-2} * 20)) || { echo "$(wc -l <"$2") of $1 lines in ${3:-2} s"; return 1; }
		sleep 0.05
	done
}

# msgs FILE: the JSON messages a client printed (not "pong", "closed").
# msg FILE TYPE: those of that type, one a line (for jq -e, whose status is
# that of the last input's output).
msgs() {
	grep "^{" "$1"
}
msg() {
	grep "^{" "$1" | jq -c "select(.type == \"$2\")"
}

# listen NAME N [MESSAGE] [--fragment]: a python3-websockets client in the
# background, its output in NAME.out; returns when it has subscribed.
listen() {
	_name=$1
	shift
	rm -f ready
	$WS listen "$PORT" "$@" >"$_name.out" 2>"$_name.err" &
	_i=0
	until test -e ready; do
		_i=$((_i + 1))
		test $_i -le 200 || return 1
		sleep 0.05
	done
}

# wsproto PROTOCOLS [CURL ARGS]: the handshake as a browser makes it, no
# Authorization, with Sec-WebSocket-Protocol: PROTOCOLS; the status.
wsproto() {
	_p=$1
	shift
	rm -f body.out head.out
	curl -s -m 1 -o body.out -D head.out -w '%{http_code}' -H "Connection: Upgrade" \
	    -H "Upgrade: websocket" -H "Sec-WebSocket-Version: 13" -H "Sec-WebSocket-Key: $KEY" \
	    -H "Sec-WebSocket-Protocol: $_p" "$@" "$U/ws" || :
}

expect_success 'the token as the subprotocol nc.bearer.TOKEN: 101, nc.v1 selected' '
	test "$(wsproto "nc.v1, nc.bearer.tok")" = 101
	test "$(header Sec-WebSocket-Protocol)" = nc.v1
	test "$(header Sec-WebSocket-Accept)" = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
	test "$(wsproto "nc.bearer.tok,chat,nc.v1")" = 101
	test "$(header Sec-WebSocket-Protocol)" = nc.v1
	test "$(hs -H "Sec-WebSocket-Key: $KEY" -H "Sec-WebSocket-Protocol: nc.v1")" = 101
	test "$(header Sec-WebSocket-Protocol)" = nc.v1
'

expect_success 'a wrong subprotocol token 401, none 401 (WWW-Authenticate), both must be right' '
	test "$(wsproto "nc.v1, nc.bearer.tok2")" = 401
	is_error
	header WWW-Authenticate | grep -q "^Bearer"
	test "$(wsproto "nc.v1")" = 401
	jq -e ".detail | test(\"nc.bearer\")" body.out
	test "$(wsproto "nc.v1, nc.bearer.tok" -H "Authorization: Bearer nope")" = 401
	test "$(hs -H "Sec-WebSocket-Key: $KEY" -H "Sec-WebSocket-Protocol: nc.v1, nc.bearer.nope")" = 401
	refute grep -q nope body.out
'

expect_success 'a malformed Sec-WebSocket-Protocol: 400, the token never quoted' '
	test "$(wsproto "nc.v1,,nc.bearer.tok")" = 400
	is_error
	refute grep -q tok body.out
	test "$(wsproto "nc.bearer.tok")" = 400
	jq -e ".detail | test(\"nc.v1\")" body.out
	test "$(wsproto "nc.v1, nc.bearer.tok, nc.bearer.tok")" = 400
	test "$(wsproto "nc.v1, nc.bearer.")" = 400
	test "$(wsproto "nc.v1, nc.bearer.t/k=")" = 400
	test "$(wsproto "nc.v1" -H "Sec-WebSocket-Protocol: nc.bearer.tok")" = 400
'

expect_success 'python3-websockets with the token as a subprotocol: nc.v1, hello, subscribed' '
	$WS proto "$PORT" >proto.out 2>proto.err
	cat proto.out proto.err
	test "$(head -n 1 proto.out)" = "subprotocol nc.v1"
	msg proto.out hello | jq -e ".server == \"nc-serve\""
	msg proto.out subscribed | jq -e ".item_ids == null"
	WS_TOKEN=nope $WS proto "$PORT" >proto.out 2>proto.err
	test "$(cat proto.out)" = "status 401"
	WS_TOKEN= $WS proto "$PORT" >proto.out 2>proto.err
	test "$(cat proto.out)" = "status 401"
'

listen all $((NALERTS + 1))
all=$!
listen frag "$NALERTS" '{"type":"subscribe","levels":["VERMELHO","AMARELO","VERDE","ENCOMENDA"]}' --fragment
frag=$!
listen one 2 '{"type":"subscribe","item_ids":["040007","010825"],"level":"VERMELHO"}'
one=$!

expect_success 'a client gets hello, then the answer to its subscribe' '
	msg all.out hello | jq -e ".server == \"nc-serve\""
	msg all.out subscribed | jq -e ".item_ids == null and .levels == null"
	msg frag.out subscribed | jq -e ".levels == [\"VERDE\",\"AMARELO\",\"VERMELHO\",\"ENCOMENDA\"]"
	msg one.out subscribed | jq -e ".item_ids == [\"040007\",\"010825\"] and .levels == [\"VERMELHO\"]"
'

# A client idle past the timeout (3 s) still holds: it answers the pings.
sleep 3.5
nc-store load -d nc.db -p 2026-11-27 alerts <al.ndjson 2>load.err
expect_success 'every alert of a load within 2 s, in order, then the load event' '
	wait_lines $((NALERTS + 3)) all.out
	msgs all.out | jq -c "select(.type == \"alert\") | .data" >got.ndjson
	jq -c . al.ndjson >want.ndjson
	cmp_files want.ndjson got.ndjson
	msg all.out load | jq -e ".data.dataset == \"alerts\" and .data.partition == \"2026-11-27\" and .data.rows == $NALERTS"
	msgs all.out | jq -r "select(.type == \"alert\" or .type == \"load\") | .id" >ids
	sort -n -u ids >ids.sorted
	cmp_files ids.sorted ids
'

expect_success 'python3-websockets: ping answered with pong, the close handshake echoes 1000' '
	wait_lines $((NALERTS + 5)) all.out 5
	grep -qx pong all.out
	grep -qx "closed 1000" all.out
'

expect_success 'a subscribe sent in 3 fragments: every level, alerts only (no load)' '
	wait_lines $((NALERTS + 4)) frag.out 5
	test "$(msgs frag.out | jq -c "select(.type == \"alert\")" | wc -l)" = "$NALERTS"
	refute grep -q "\"type\":\"load\"" frag.out
	grep -qx "closed 1000" frag.out
'

expect_success 'item_ids and level: only those alerts' '
	want=$(jq -c "select(.level == \"VERMELHO\" and (.item_id == \"040007\" or .item_id == \"010825\"))" al.ndjson | wc -l)
	test "$want" -ge 1
	nc-store load -d nc.db -p 2026-11-28 alerts <al.ndjson 2>>load.err
	wait_lines $((2 + 2 * want)) one.out
	msgs one.out | jq -c "select(.type == \"alert\") | .data" >got.ndjson
	jq -c "select(.level == \"VERMELHO\" and (.item_id == \"040007\" or .item_id == \"010825\"))" al.ndjson al.ndjson >want.ndjson
	head -n 2 want.ndjson >want2.ndjson
	cmp_files want2.ndjson got.ndjson
'
kill $one 2>/dev/null || :

listen fc 1
expect_success 'a new forecast run within 2 s: the load event of dataset forecasts' '
	nc-store load -d nc.db -p 2026-11-27 -k forecast_id forecasts <"$FC" 2>>load.err
	wait_lines 3 fc.out
	msg fc.out load | jq -e ".data.dataset == \"forecasts\" and .data.partition == \"2026-11-27\" and .data.rows == $(wc -l <"$FC")"
'

expect_success 'bad messages get an error and the connection stays' '
	$WS raw "$PORT" bad-json >bad.out
	grep -q "\"type\":\"error\",\"error\":\"bad message\"" bad.out
	grep -qx "close 1000 " bad.out
'

expect_success 'a subscribe with an unknown level or field gets an error message' '
	listen lv 0 "{\"type\":\"subscribe\",\"levels\":[\"ROXO\"]}"
	wait $!
	msg lv.out error | jq -e ".detail | test(\"levels\")"
	listen fld 0 "{\"type\":\"subscribe\",\"colour\":\"red\"}"
	wait $!
	msg fld.out error | jq -e ".detail | test(\"unknown field\")"
'

# rawcase CASE CODE: the close code the server sends for hand-made frames,
# and it ends the connection after it.
rawcase() {
	$WS raw "$PORT" "$1" >"raw.$1" 2>&1
	grep -q "^close $2 " "raw.$1" || { cat "raw.$1"; return 1; }
	tail -n 1 "raw.$1" | grep -qx eof
}

expect_success 'an unmasked client frame: 1002' 'rawcase unmasked 1002'
expect_success 'invalid UTF-8 in a text frame: 1007' 'rawcase utf8 1007'
expect_success 'invalid UTF-8 split across fragments: 1007' 'rawcase utf8-fragments 1007'
expect_success 'a message over 16 KiB: 1009' 'rawcase oversize 1009'
expect_success 'fragments adding up to over 16 KiB: 1009' 'rawcase oversize-fragments 1009'
expect_success 'a binary message: 1003' 'rawcase binary 1003'
expect_success 'an unknown opcode, reserved bits: 1002' '
	rawcase opcode 1002
	rawcase reserved 1002
'
expect_success 'a continuation without a message, a message inside one: 1002' '
	rawcase continuation 1002
	rawcase interleaved 1002
'
expect_success 'a fragmented or long control frame: 1002' '
	rawcase control-fragmented 1002
	rawcase control-long 1002
'
expect_success 'close frames: 1 byte or code 1005 is 1002, a bad reason 1007' '
	rawcase close-1-byte 1002
	rawcase close-bad-code 1002
	rawcase close-reason-utf8 1007
'
expect_success 'the close handshake: the code is echoed, an empty close answered empty' '
	rawcase close-4000 4000
	rawcase close-empty 1005
'
expect_success 'a ping between fragments is answered, the message still whole' '
	rawcase ping-in-fragments 1000
	grep -qx "pong p1" raw.ping-in-fragments
	grep -q "^text {\"type\":\"subscribed\"" raw.ping-in-fragments
'

# Stream clients at scale: 80 WebSocket and 20 SSE clients; each must get
# every one of 20 alerts (4 loads of 5), none lost or twice, while the API
# keeps answering.
rm -f ready
$WS many "$PORT" -w 80 -s 20 -n 20 -t 60 >many.json 2>many.err &
many=$!
i=0; until test -e ready || test $i -gt 400; do sleep 0.05; i=$((i + 1)); done
sleep 0.5
expect_success '100 clients (80 WebSocket, 20 SSE) each get all 20 alerts once; the API answers' '
	for d in 01 02 03 04; do
		jq -c ".alert_id = (.alert_id + \"-m$d\")" al.ndjson >day.ndjson
		nc-store load -d nc.db -p 2026-12-$d alerts <day.ndjson 2>>load.err
		test "$(status "$U/api/v1/alerts" -H "Authorization: Bearer tok")" = 200
	done
	wait_lines 1 many.json 70
	jq -e ".clients == 100 and .min == 20 and .max == 20 and .lost == 0 and .duplicated == 0 and .errors == 0" many.json
'

# A client that does not read is dropped (it has 4096 bytes of socket
# buffer, nc-serve's kernel send buffer is 512 KiB and its queue 64 KiB:
# 3 loads of 3,000 alerts are over 5 MB); another gets every one of the
# 9,000 alerts meanwhile.  The waits below are bounds for a loaded machine
# (the suite runs two tests at once, one of them a browser), not timings.
rm -f stuck.ready stuck.go
$WS raw "$PORT" stuck >stuck.out 2>&1 &
stuck=$!
i=0; until test -e stuck.ready || test $i -gt 200; do sleep 0.05; i=$((i + 1)); done
listen fast 9000 '{"type":"subscribe","levels":["VERDE","AMARELO","VERMELHO","ENCOMENDA"]}'
fast=$!
expect_success 'a client that does not read holds up no one: another gets 9,000 alerts' '
	for r in 1 2 3; do
		jq -c --slurpfile a al.ndjson -n "range(1; 601) as \$i | \$a[] | .alert_id += \"-s$r-\(\$i)\"" >big.ndjson
		test "$(wc -l <big.ndjson)" = 3000
		nc-store load -d nc.db -p 2026-12-2$r alerts <big.ndjson 2>>load.err
		wait_lines $((2 + 3000 * r)) fast.out 90
		test "$(status "$U/api/v1/alerts" -H "Authorization: Bearer tok")" = 200
	done
	test "$(msgs fast.out | jq -c "select(.type == \"alert\")" | wc -l)" = 9000
	test "$(msgs fast.out | jq -r "select(.type == \"alert\") | .data.alert_id" | sort -u | wc -l)" = 9000
'
expect_success 'and the client that did not read was dropped, having missed alerts' '
	sleep 4
	touch stuck.go
	wait_lines 1 stuck.out 60
	cat stuck.out
	grep -q " end eof$" stuck.out
	n=$(sed -n "s/^alerts \([0-9]*\) .*/\1/p" stuck.out)
	test "$n" -lt 9000
'
kill $fast 2>/dev/null || :

expect_success 'the log has no token (nor the wrong ones), and a 101 line per WebSocket' '
	refute grep -qw tok serve.log
	refute grep -q nope serve.log
	grep -q " GET /ws 101 " serve.log
'

# nc-serve(1)'s WebSocket example: the block after "Follow the red alerts
# over a WebSocket".
sed -n '/^Follow the red alerts over a WebSocket/,/^\.Ed/p' "$SRC_DIR/man/nc-serve.1" | sed -e '1,2d' -e '$d' \
    -e 's/\\e/\\/g' -e "s/:8080/:$PORT/g" -e "s|^python3 -c|$PY -c|" >example.sh
NC_API_TOKEN=tok timeout 30 sh example.sh >example.out 2>example.err &
ex=$!
expect_success 'nc-serve(1) example: the red alerts over a WebSocket' '
	test -s example.sh
	sleep 1.5
	nc-store load -d nc.db -p 2026-12-29 alerts <al.ndjson 2>>load.err
	want=$(jq -c "select(.level == \"VERMELHO\")" al.ndjson | wc -l)
	i=0
	until test "$(grep -c "\"type\":\"alert\"" example.out)" -ge "$want"; do i=$((i + 1)); test $i -lt 400; sleep 0.05; done
	msgs example.out | jq -r "select(.type == \"alert\") | .data.level" | sort -u >levels
	test "$(cat levels)" = VERMELHO
'
kill $ex 2>/dev/null || :

listen bye 1
bye=$!
st=0; serve_stop || st=$?
expect_success 'SIGTERM with a WebSocket open: it gets close 1001, nc-serve exits 0' '
	test '"$st"' = 0
	i=0
	until grep -q "1001" bye.err; do i=$((i + 1)); test $i -lt 600; sleep 0.05; done
	grep -q "the server is stopping" bye.err
'

# Pings whose pongs are never read: dropped once 256 KiB of answers are
# owed, long before --timeout 60 would drop a client that takes nothing;
# 20 times, each client on its own, and the server still answers.
LOG=flood.log serve_start -d nc.db --timeout 60 ||
	{ echo "Bail out! nc-serve did not start again"; cat flood.log; exit 1; }
expect_success 'a client that sends pings and reads no pong is dropped (256 KiB owed), 20 times in 20' '
	for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		$WS raw "$PORT" ping-flood >>flood.out 2>&1
	done
	cat flood.out
	test "$(grep -cx dropped flood.out)" = 20
	test "$(status "$U/health")" = 200
'
expect_success 'no token configured: nc.v1 with or without a bearer token is taken' '
	test "$(wsproto "nc.v1")" = 101
	test "$(header Sec-WebSocket-Protocol)" = nc.v1
	test "$(wsproto "nc.v1, nc.bearer.anything")" = 101
	WS_TOKEN=anything $WS proto "$PORT" >proto.out 2>proto.err
	test "$(head -n 1 proto.out)" = "subprotocol nc.v1"
	msg proto.out subscribed | jq -e ".type == \"subscribed\""
	test "$(wsproto "nc.v1,,")" = 400
'
st=0; serve_stop || st=$?
expect_success 'and nc-serve stops with exit 0' "test $st = 0"

done_testing
