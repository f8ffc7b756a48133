#!/bin/sh
# t1284-serve-tls: nc-serve with --cert/--key answers HTTPS (libmicrohttpd's
# GnuTLS) with a self-signed certificate made here by openssl; curl checks
# it with --cacert; plain HTTP on that port gets no answer; bad files are
# usage errors.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/serve-lib.sh"

make_store nc.db >store.log 2>&1 || { echo "Bail out! cannot make the store"; cat store.log; exit 1; }
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
	-addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
	-keyout key.pem -out cert.pem >openssl.log 2>&1 ||
	{ echo "Bail out! openssl cannot make a certificate"; cat openssl.log; exit 1; }
chmod 600 key.pem
serve_start -d nc.db --cert cert.pem --key key.pem ||
	{ echo "Bail out! nc-serve did not start"; cat serve.log; exit 1; }
S=https://127.0.0.1:$PORT

expect_success 'HTTPS: /health is 200, the certificate verified by curl --cacert' '
	test "$(status "$S/health" --cacert cert.pem)" = 200
	jq -e ".status == \"ok\"" body.out
'

expect_success 'the API over TLS: the same records' '
	test "$(status "$S/api/v1/alerts?limit=1000" --cacert cert.pem)" = 200
	jq -e ".total == $(wc -l <al.ndjson)" body.out
'

expect_success 'the page over TLS' '
	test "$(status "$S/" --cacert cert.pem)" = 200
	grep -q "<html" body.out
'

expect_code 60 'without the CA, curl refuses the self-signed certificate' '
	curl -s -o /dev/null "$S/health"
'

expect_success 'plain HTTP on the TLS port gets no HTTP answer; the server goes on' '
	code=$(curl -s -m 3 -o /dev/null -w "%{http_code}" "$U/health" || :)
	test "$code" = 000
	test "$(status "$S/health" --cacert cert.pem)" = 200
'

expect_success 'the access log says the method, path and status as without TLS' '
	grep -q "access .* 127.0.0.1 GET /api/v1/alerts 200 " serve.log
'

st=0; serve_stop || st=$?
expect_success 'SIGTERM: exits 0' "test $st = 0"

expect_code 2 '--cert without --key: usage error' '
	nc-serve -d nc.db -l 127.0.0.1:0 --cert cert.pem 2>err
'
expect_code 2 'a missing certificate file: usage error' '
	nc-serve -d nc.db -l 127.0.0.1:0 --cert nosuch.pem --key key.pem 2>err
' 'grep -q "nosuch.pem" err'
expect_code 2 'a key that is not PEM: usage error' '
	echo "not a key" >bad.pem
	nc-serve -d nc.db -l 127.0.0.1:0 --cert cert.pem --key bad.pem 2>err
' 'grep -q "not PEM" err'
expect_code 1 'a key that does not match the certificate: exit 1' '
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out other.pem 2>/dev/null
	nc-serve -d nc.db -l 127.0.0.1:0 --cert cert.pem --key other.pem 2>err
'

done_testing
