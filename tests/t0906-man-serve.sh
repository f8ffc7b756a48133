#!/bin/sh
# t0906-man-serve: the EXAMPLES of nc-serve(1) run as written against a
# server on a store as nc-daily leaves it (tests/serve-lib.sh), started as
# the page's first example starts it, with a token and its log in
# serve.log.  The one change: the server's free port for the default 8080,
# since a test cannot count on a fixed port.  The HTTPS example on
# PostgreSQL runs in t1282-serve-pg.sh, against a server made for it.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/serve-lib.sh"
. "$TESTS_DIR/man-lib.sh"

man_scratch nc-serve.1 || exit 1
make_store nc.db || { echo "Bail out! no store"; exit 1; }
NC_API_TOKEN=example-token-0123456789
export NC_API_TOKEN
LOG=serve.log serve_start -d nc.db || { cat serve.log; echo "Bail out! nc-serve did not start"; exit 1; }
run_page_examples nc-serve.1 "s/127\.0\.0\.1:8080/127.0.0.1:$PORT/g" 'https://localhost'

expect_success 'the examples were answered: four requests logged with status 200' '
	test "$(grep -c " access .* 200 " serve.log)" -ge 4
'
serve_stop
cd "$TRASH" || exit 1

done_testing
