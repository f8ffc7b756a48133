#!/bin/sh
# t1250-serve-api: nc-serve's API over a SQLite store: every endpoint, its
# filters and paging, each error status, ETag/304, auth, CORS, the access
# log, a missing store, a load during queries, hostile input, SIGTERM, and
# the EXAMPLES of nc-serve(1).  Expected counts come from the fixtures
# with jq, never from nc-serve.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/serve-lib.sh"

make_store nc.db >store.log 2>&1 || { echo "Bail out! cannot make the store"; cat store.log; exit 1; }
serve_start -d nc.db || { echo "Bail out! nc-serve did not start"; cat serve.log; exit 1; }

expect_success 'it listens on the port it names' '
	test "$PORT" -gt 0 && grep -q "listening on 127.0.0.1:$PORT," serve.log
'

expect_success '/health: 200, the store and each gold dataset'"'"'s last load' '
	test "$(status "$U/health")" = 200 &&
	jq -e ".status == \"ok\" and .datasets.forecasts.rows == $(wc -l <"$FC") and
	    .datasets.alerts.rows == $(wc -l <al.ndjson) and .datasets.reorder.partition == \"2026-11-26\" and
	    (.datasets.alerts.age_seconds | type) == \"number\" and (.version | type) == \"string\"" body.out
'

expect_success 'forecasts: default page of 100, total, next' '
	test "$(status "$U/api/v1/forecasts")" = 200 &&
	jq -e ".total == $(wc -l <"$FC") and .limit == 100 and .offset == 0 and
	    (.items | length) == 100 and .next == \"/api/v1/forecasts?offset=100\"" body.out &&
	test "$(header X-Total-Count)" = "$(wc -l <"$FC")"
'

expect_success 'paging: following next gives every record once, as loaded' '
	url="/api/v1/forecasts?limit=7"; : >all.ndjson; n=0
	while test "$url" != null; do
		test "$(status "$U$url")" = 200
		jq -c ".items[]" body.out >>all.ndjson
		url=$(jq -r .next body.out); n=$((n + 1))
		test $n -lt 100
	done
	jq -c . "$FC" >want.ndjson
	cmp_files want.ndjson all.ndjson
'

expect_success 'the last page has next null and the rest of the rows' '
	total=$(wc -l <"$FC")
	test "$(status "$U/api/v1/forecasts?limit=40&offset=80")" = 200 &&
	jq -e "(.items | length) == ($total - 80) and .next == null and .offset == 80" body.out &&
	test "$(status "$U/api/v1/forecasts?offset=5000")" = 200 &&
	jq -e "(.items | length) == 0 and .total == $total and .next == null" body.out
'

expect_success 'forecasts: item_id, start_date and end_date filter' '
	want=$(jq -c "select(.item_id == \"010825\" and .date >= \"2026-12-01\" and .date <= \"2026-12-10\")" "$FC" | wc -l)
	test "$want" -gt 0 &&
	test "$(status "$U/api/v1/forecasts?item_id=010825&start_date=2026-12-01&end_date=2026-12-10")" = 200 &&
	jq -e ".total == $want and ([.items[].item_id] | unique) == [\"010825\"]" body.out
'

expect_success 'forecasts: a date in dd/mm/yyyy works as YYYY-MM-DD' '
	test "$(status "$U/api/v1/forecasts?start_date=01/12/2026")" = 200 && a=$(jq .total body.out) &&
	test "$(status "$U/api/v1/forecasts?start_date=2026-12-01")" = 200 && test "$(jq .total body.out)" = "$a"
'

expect_success 'reorder: every record; family and stocking filter' '
	test "$(status "$U/api/v1/reorder?limit=1000")" = 200 &&
	jq -c ".items[]" body.out >got.ndjson && jq -c . ro.ndjson >want.ndjson && cmp_files want.ndjson got.ndjson &&
	fam=$(jq -r .family ro.ndjson | head -n 1) &&
	want=$(jq -c "select(.family == \"$fam\" and .stocking == \"estoque\")" ro.ndjson | wc -l) &&
	test "$(status "$U/api/v1/reorder?family=$fam&stocking=estoque")" = 200 &&
	jq -e ".total == $want" body.out
'

expect_success 'alerts: level, a list of levels, since' '
	red=$(jq -c "select(.level == \"VERMELHO\")" al.ndjson | wc -l)
	test "$(status "$U/api/v1/alerts?level=VERMELHO")" = 200 &&
	jq -e ".total == $red and ([.items[].level] | unique) == [\"VERMELHO\"]" body.out &&
	two=$(jq -c "select(.level == \"VERMELHO\" or .level == \"VERDE\")" al.ndjson | wc -l) &&
	test "$(status "$U/api/v1/alerts?level=VERMELHO,VERDE")" = 200 && jq -e ".total == $two" body.out &&
	test "$(status "$U/api/v1/alerts?since=2026-11-26T05:00:00Z")" = 200 &&
	jq -e ".total == $(wc -l <al.ndjson)" body.out &&
	test "$(status "$U/api/v1/alerts?since=2026-11-27")" = 200 && jq -e ".total == 0" body.out
'

expect_success 'NDJSON with Accept: application/x-ndjson, total and next in headers' '
	test "$(status "$U/api/v1/forecasts?limit=10" -H "Accept: application/x-ndjson")" = 200 &&
	test "$(header Content-Type)" = application/x-ndjson &&
	test "$(wc -l <body.out)" = 10 && jq -c . body.out >/dev/null &&
	head -n 10 "$FC" | jq -c . >want.ndjson && jq -c . body.out >got.ndjson && cmp_files want.ndjson got.ndjson &&
	test "$(header X-Total-Count)" = "$(wc -l <"$FC")" &&
	header Link | grep -q "^</api/v1/forecasts?limit=10&offset=10>; rel=\"next\"\$"
'

expect_success 'items/{item_id}: name, forecasts, reorder and alerts of the item' '
	test "$(status "$U/api/v1/items/010825")" = 200 &&
	name=$(jq -r "select(.item_id == \"010825\") | .item_name" ro.ndjson) &&
	jq -e --arg n "$name" ".item_id == \"010825\" and .item_name == \$n and
	    (.forecasts | length) == $(jq -c "select(.item_id == \"010825\")" "$FC" | wc -l) and
	    (.reorder | length) == 1 and (.alerts | length) == 1 and .alerts[0].item_id == \"010825\"" body.out
'

expect_success 'items: an unknown item is 404; a parameter is 400' '
	test "$(status "$U/api/v1/items/999999")" = 404 && is_error &&
	test "$(status "$U/api/v1/items/010825?limit=3")" = 400 && is_error
'

for q in limit=0 limit=1001 limit=abc limit= limit=-1 offset=-1 offset=1.5 \
    start_date=2026-02-30 end_date=tomorrow as_of=2026-13-01 since=2026-11-26T25:00:00Z \
    since=yesterday level=ROXO level=VERMELHO,, foo=1 item_id=1\&item_id=2 \
    'item_id' 'x=1&y=2'; do
	case $q in
	start_date*|end_date*) ep=forecasts ;;
	level*|since*) ep=alerts ;;
	*) ep=reorder ;;
	esac
	expect_success "400 with a JSON error: /api/v1/$ep?$q" '
		test "$(status "$U/api/v1/'"$ep"'?'"$q"'")" = 400 && is_error &&
		test "$(header Content-Type)" = application/json
	'
done

expect_success 'an unknown parameter is named in the detail' '
	test "$(status "$U/api/v1/alerts?colour=red")" = 400 &&
	jq -e ".error == \"unknown parameter\" and .detail == \"colour\"" body.out
'

for p in /api/v1/nope /api/v2/alerts /api/v1/items/ /api/v1/items/a/b /api /favicon.ico; do
	expect_success "404 with a JSON error: $p" '
		test "$(status "$U'"$p"'")" = 404 && is_error
	'
done

for m in POST PUT DELETE PATCH; do
	expect_success "405 with Allow: $m /api/v1/alerts" '
		test "$(status "$U/api/v1/alerts" -X '"$m"')" = 405 && is_error &&
		test "$(header Allow)" = "GET, HEAD, OPTIONS"
	'
done

expect_success 'HEAD: the headers of GET, no body' '
	test "$(status "$U/api/v1/alerts" -I)" = 200 && ! grep -q "items" body.out &&
	test -n "$(header ETag)"
'

expect_success 'ETag and Cache-Control; If-None-Match gives 304 with no body' '
	test "$(status "$U/api/v1/alerts")" = 200 && etag=$(header ETag) && test -n "$etag" &&
	header Cache-Control | grep -q no-cache &&
	test "$(status "$U/api/v1/alerts" -H "If-None-Match: $etag")" = 304 && test ! -s body.out &&
	test "$(header ETag)" = "$etag" &&
	test "$(status "$U/api/v1/alerts" -H "If-None-Match: \"other\"")" = 200
'

expect_success 'a new load changes the ETag; the newest run is served, as_of the older' '
	test "$(status "$U/api/v1/alerts")" = 200 && old=$(header ETag) &&
	head -n 2 al.ndjson | nc-store load -d nc.db -p 2026-11-27 alerts 2>/dev/null &&
	test "$(status "$U/api/v1/alerts" -H "If-None-Match: $old")" = 200 &&
	test "$(header ETag)" != "$old" && jq -e ".total == 2" body.out &&
	test "$(status "$U/api/v1/alerts?as_of=2026-11-26")" = 200 &&
	jq -e ".total == $(wc -l <al.ndjson)" body.out &&
	test "$(status "$U/api/v1/alerts?as_of=2026-01-01")" = 200 && jq -e ".total == 0" body.out
'

expect_success 'the ETag of NDJSON differs from the JSON one' '
	test "$(status "$U/api/v1/alerts")" = 200 && j=$(header ETag) &&
	test "$(status "$U/api/v1/alerts" -H "Accept: application/x-ndjson")" = 200 &&
	test "$(header ETag)" != "$j"
'

expect_success 'hostile: bad percent-encoding is 400' '
	test "$(status "$U/api/v1/alerts?item_id=%zz")" = 400 && is_error &&
	test "$(status "$U/api/v1/alerts?item_id=%4")" = 400 && is_error &&
	test "$(status "$U/api/v1/items/%g1")" = 400 && is_error
'

expect_success 'hostile: invalid UTF-8 and control characters are 400' '
	test "$(status "$U/api/v1/alerts?item_id=%ff%fe")" = 400 && is_error &&
	test "$(status "$U/api/v1/alerts?item_id=%c0%af")" = 400 &&
	test "$(status "$U/api/v1/alerts?item_id=a%00b")" = 400 &&
	test "$(status "$U/api/v1/items/%ed%a0%80")" = 400 &&
	test "$(status "$U/api/v1/items/a%0ab")" = 400
'

expect_success 'hostile: SQL in a value is only a value' '
	test "$(status "$U/api/v1/alerts?item_id=x%27%20OR%201=1%20--")" = 200 && jq -e ".total == 0" body.out &&
	test "$(status "$U/api/v1/items/x%22%29%3B%20DROP%20TABLE%20alerts%3B")" = 404 &&
	test "$(status "$U/api/v1/alerts")" = 200 && jq -e ".total > 0" body.out
'

expect_success 'hostile: a UTF-8 value is fine' '
	test "$(status "$U/api/v1/alerts?family=EL%C3%89TRICO")" = 200 && jq -e ".total == 0" body.out
'

expect_success 'hostile: a huge query string is refused, the server lives on' '
	big=$(head -c 100000 /dev/zero | tr "\0" a)
	st=$(status "$U/api/v1/alerts?item_id=$big") || :
	case $st in 414|431|413|400) ;; *) echo "status $st"; exit 1 ;; esac
	test "$(status "$U/health")" = 200
'

expect_success 'hostile: a flood of headers is refused, the server lives on' '
	for i in $(seq 1 300); do printf -- "-H\nX-Flood-%d: %0200d\n" $i 0; done >flood.args
	st=$(tr "\n" "\0" <flood.args | xargs -0 curl -s -o /dev/null -w "%{http_code}" "$U/api/v1/alerts") || :
	case $st in 431|413|400|000) ;; *) echo "status $st"; exit 1 ;; esac
	test "$(status "$U/health")" = 200
'

expect_success 'hostile: a GET with a body is 400' '
	test "$(status "$U/api/v1/alerts" -X GET --data-binary "x=1")" = 400 && is_error
'

expect_success 'the page: 200, HTML in Portuguese, nothing fetched from elsewhere' '
	test "$(status "$U/")" = 200 &&
	header Content-Type | grep -q "^text/html" &&
	grep -q "lang=\"pt-BR\"" body.out && grep -q "Alertas" body.out &&
	! grep -o "https\{0,1\}://[^\"]*" body.out | grep -v "^http://www.w3.org/2000/svg$"
'

expect_success 'no CORS headers without --cors' '
	test "$(status "$U/api/v1/alerts" -H "Origin: https://evil.example")" = 200 &&
	test -z "$(header Access-Control-Allow-Origin)"
'

expect_success 'the access log: one awk-readable line per request, no query' '
	test "$(status "$U/api/v1/alerts?item_id=SECRETVALUE")" = 200 &&
	test "$(status "$U/no/such/%ff/path")" = 400 &&
	sleep 0.2 &&
	! grep -q SECRETVALUE serve.log &&
	awk "\$2 == \"access\" && \$5 == \"GET\" && \$6 == \"/api/v1/alerts\" && \$7 == 200 && \$8 > 0 && \$9 >= 0 { n++ } END { exit n == 0 }" serve.log &&
	awk "\$2 == \"access\" && \$6 == \"/no/such/%FF/path\" && \$7 == 400 { n++ } END { exit n != 1 }" serve.log &&
	awk "\$2 == \"access\" && (NF < 9 || NF > 10) { bad++ } END { exit bad > 0 }" serve.log
'

# A load that happens during queries: every answer is whole (the count of
# one load or the other, and as many items), never an error.
expect_success 'loads during queries: every answer is 200 and whole' '
	jq -c . al.ndjson >five.ndjson
	head -n 3 al.ndjson >three.ndjson
	nc-store load -d nc.db -p 2026-11-27 alerts <five.ndjson 2>/dev/null
	(for i in $(seq 1 15); do
		nc-store load -d nc.db -p 2026-11-27 alerts <five.ndjson 2>/dev/null || exit 1
		nc-store load -d nc.db -p 2026-11-27 alerts <three.ndjson 2>/dev/null || exit 1
	done) &
	loader=$!
	bad=0
	for i in $(seq 1 150); do
		st=$(status "$U/api/v1/alerts")
		test "$st" = 200 || { bad=$((bad + 1)); echo "status $st"; continue; }
		jq -e "(.total == 5 or .total == 3) and (.items | length) == .total" body.out >/dev/null ||
			{ bad=$((bad + 1)); cat body.out; }
	done
	wait $loader
	test $bad = 0
'

# The EXAMPLES, against this server (8080 is the port it took).
NC_API_TOKEN=unused
export NC_API_TOKEN
# (The HTTPS one runs in t1282, on PostgreSQL with a certificate.)
man_examples "$SRC_DIR/man/nc-serve.1" | grep -v https: | sed "s/:8080/:$PORT/g" >examples
expect_success 'nc-serve(1) has EXAMPLES' 'test "$(wc -l <examples)" -ge 4'
while IFS= read -r ex; do
	expect_success "example: $ex" "$ex >/dev/null"
done <examples
unset NC_API_TOKEN

st=0; serve_stop || st=$?
expect_success 'SIGTERM: exits 0' "test $st = 0"

# Auth.
printf 's3cr3t-t0ken\n' >token
LOG=auth.log NC_API_TOKEN_FILE=$TRASH/token serve_start -d nc.db --cors https://painel.example ||
	echo "not ok - nc-serve with a token did not start"

expect_success 'auth: no token is 401 with WWW-Authenticate' '
	test "$(status "$U/api/v1/alerts")" = 401 && is_error &&
	header WWW-Authenticate | grep -q "^Bearer realm="
'

expect_success 'auth: a wrong token, a prefix, a longer one, another scheme: 401' '
	test "$(status "$U/api/v1/alerts" -H "Authorization: Bearer wrong")" = 401 &&
	test "$(status "$U/api/v1/alerts" -H "Authorization: Bearer s3cr3t")" = 401 &&
	test "$(status "$U/api/v1/alerts" -H "Authorization: Bearer s3cr3t-t0kenX")" = 401 &&
	test "$(status "$U/api/v1/alerts" -H "Authorization: Basic czNjcjN0LXQwa2Vu")" = 401 &&
	test "$(status "$U/api/v1/stream")" = 401
'

expect_success 'auth: the right token is 200; /health and / need none' '
	test "$(status "$U/api/v1/alerts" -H "Authorization: Bearer s3cr3t-t0ken")" = 200 &&
	test "$(status "$U/api/v1/items/010825" --oauth2-bearer s3cr3t-t0ken)" = 200 &&
	test "$(status "$U/health")" = 200 && test "$(status "$U/")" = 200
'

expect_success 'auth: the token is never logged' '
	sleep 0.2 && ! grep -q s3cr3t auth.log && grep -q " access " auth.log
'

expect_success 'CORS: the origin given is allowed, another is not; preflight 204' '
	test "$(status "$U/api/v1/alerts" --oauth2-bearer s3cr3t-t0ken -H "Origin: https://painel.example")" = 200 &&
	test "$(header Access-Control-Allow-Origin)" = https://painel.example &&
	test "$(status "$U/api/v1/alerts" --oauth2-bearer s3cr3t-t0ken -H "Origin: https://evil.example")" = 200 &&
	test -z "$(header Access-Control-Allow-Origin)" &&
	test "$(status "$U/api/v1/alerts" -X OPTIONS -H "Origin: https://painel.example" -H "Access-Control-Request-Method: GET")" = 204 &&
	header Access-Control-Allow-Headers | grep -q Authorization
'
st=0; serve_stop || st=$?
expect_success 'SIGTERM with a token: exits 0' "test $st = 0"

expect_code 2 'no token and a non-loopback address: usage error' '
	nc-serve -d nc.db -l 0.0.0.0:0 2>err
'
expect_code 2 'no store: usage error' 'nc-serve -l 127.0.0.1:0 2>err'
expect_code 2 'a password in -d: usage error' '
	nc-serve -d postgresql://u:secret@127.0.0.1:1/nc -l 127.0.0.1:0 2>err
'
expect_success '... which says why without printing the password' '
	grep -q "password on the command line is refused" err
	if grep -q secret err; then exit 1; fi
'
expect_code 2 'a bad -l: usage error' 'nc-serve -d nc.db -l host:port 2>err'
expect_code 2 'an empty token file: usage error' '
	: >empty; NC_API_TOKEN_FILE=$TRASH/empty nc-serve -d nc.db -l 127.0.0.1:0 2>err
'
LOG=busy.log serve_start -d nc.db || echo "not ok - nc-serve for the busy port did not start"
expect_code 1 'a port in use: exit 1' "nc-serve -d nc.db -l 127.0.0.1:$PORT 2>err"
st=0; serve_stop || st=$?
expect_success 'the server on that port: SIGTERM exits 0' "test $st = 0"

# A store that is not there yet: 503, not a crash, and no file made; a
# first load then makes it appear without a restart.
LOG=missing.log serve_start -d "$TRASH/later.db" || echo "not ok - nc-serve on a missing store did not start"
expect_success 'a missing store: /health and the API are 503 with a reason' '
	test "$(status "$U/health")" = 503 && is_error && test -n "$(header Retry-After)" &&
	test "$(status "$U/api/v1/alerts")" = 503 && is_error &&
	test "$(status "$U/api/v1/items/010825")" = 503 && is_error &&
	test ! -e "$TRASH/later.db"
'
expect_success 'a store with only some datasets: 503 for the missing one' '
	nc-store load -d "$TRASH/later.db" -p 2026-11-26 reorder <ro.ndjson 2>/dev/null &&
	test "$(status "$U/api/v1/reorder")" = 200 &&
	test "$(status "$U/api/v1/alerts")" = 503 && is_error &&
	test "$(status "$U/api/v1/items/010825")" = 200 &&
	test "$(status "$U/health")" = 200 && jq -e ".datasets.alerts == null and .datasets.reorder.rows > 0" body.out
'
expect_success 'a store that is not SQLite: 503, and the server lives on' '
	LOG=junk.log serve_start -d "$FC" &&
	test "$(status "$U/api/v1/alerts")" = 503 && test "$(status "$U/health")" = 503 &&
	kill -0 $SERVE_PID && serve_stop
'

done_testing
