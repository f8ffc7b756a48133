#!/bin/sh
# t0902-vocab: one vocabulary of options (nc(7), OPTIONS ACROSS THE
# TOOLKIT).  Each renamed option: the new spelling works and says nothing;
# the old one does the same thing and warns "prog: warning: OLD is
# deprecated; use NEW" on stderr.  (nc-extract-erp's -S: t0903.)
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/serve-lib.sh"

CSV=$SRC_DIR/data/sample/requisicoes-2024-2025.csv
BCB=$SRC_DIR/data/sample/bcb/sgs_433_2024_200.json

# warns FILE PROG OLD NEW: FILE is exactly the one deprecation warning.
warns() {
	echo "$2: warning: $3 is deprecated; use $4" >want.warn
	cmp_files want.warn "$1"
}

# --- nc-csv: -F (was -d), --encoding (was -e), --strings (was -s) ----------

printf 'a|b\n1|x\n2|y\n' >pipe.csv
expect_success 'nc-csv -F sets the delimiter, silently' '
	nc-csv -F "|" pipe.csv >new.out 2>new.err
	test ! -s new.err
	test "$(head -n 1 new.out)" = "{\"a\":1,\"b\":\"x\"}"
'
expect_success 'nc-csv --delimiter is -F' '
	nc-csv --delimiter "|" pipe.csv >long.out 2>long.err
	test ! -s long.err
	cmp_files new.out long.out
'
expect_success 'nc-csv -d still sets the delimiter, and warns' '
	nc-csv -d "|" pipe.csv >old.out 2>old.err
	cmp_files new.out old.out
	warns old.err nc-csv -d -F
'
expect_success 'nc-csv --to-csv -F tab writes tabs' '
	echo "{\"a\":1,\"b\":2}" | nc-csv --to-csv -F tab >tab.out 2>tab.err
	test ! -s tab.err
	printf "a\tb\n1\t2\n" >want
	cmp_files want tab.out
'

printf 'n\n\303\247\n' >utf8.csv
expect_success 'nc-csv --encoding latin1 reads bytes as Latin-1, silently' '
	nc-csv --encoding latin1 utf8.csv >new.out 2>new.err
	test ! -s new.err
	test "$(cat new.out)" = "{\"n\":\"Ã§\"}"
'
expect_success 'nc-csv -e still sets the encoding, and warns' '
	nc-csv -e latin1 utf8.csv >old.out 2>old.err
	cmp_files new.out old.out
	warns old.err nc-csv -e --encoding
'

expect_success 'nc-csv --strings keeps a request number as text, silently' '
	nc-csv --strings "SOLICITAÇÃO" "$CSV" >new.out 2>new.err
	test ! -s new.err
	head -n 1 new.out | jq -e ".[\"SOLICITAÇÃO\"] == \"94657\""
'
expect_success 'nc-csv -s still keeps them as text, and warns' '
	nc-csv -s "SOLICITAÇÃO" "$CSV" >old.out 2>old.err
	cmp_files new.out old.out
	warns old.err nc-csv -s --strings
'
expect_success 'nc-csv without --strings reads it as a number' '
	nc-csv "$CSV" >plain.out
	head -n 1 plain.out | jq -e ".[\"SOLICITAÇÃO\"] == 94657"
'

# --- nc-features: -t (was -y) ----------------------------------------------

printf '%s\n' '{"item_id":"A","date":"2025-01-01","demand":2}' \
    '{"item_id":"A","date":"2025-01-03","demand":5}' >demand.ndjson
expect_success 'nc-features -t names the target, silently' '
	nc-features -t demand demand.ndjson >new.out 2>new.err
	test ! -s new.err
	test "$(jq -r .demand new.out | tr "\n" " ")" = "2 0 5 "
	test "$(jq -r .lag_1 new.out | tr "\n" " ")" = "null 2 0 "
'
expect_success 'nc-features -y still names it, and warns' '
	nc-features -y demand demand.ndjson >old.out 2>old.err
	cmp_files new.out old.out
	warns old.err nc-features -y -t
'

# --- nc-extract-bcb: --file (was -f) ---------------------------------------

expect_success 'nc-extract-bcb --file reads a saved answer, silently' '
	nc-extract-bcb --file "$BCB" ipca >new.out 2>new.err
	test ! -s new.err
	test "$(wc -l <new.out)" = 12
	head -n 1 new.out | jq -e ".series == \"ipca\" and .date == \"2024-01-01\""
'
expect_success 'nc-extract-bcb -f still reads it, and warns' '
	nc-extract-bcb -f "$BCB" ipca >old.out 2>old.err
	cmp_files new.out old.out
	warns old.err nc-extract-bcb -f --file
'

# --- nc-alert: -s is --state ----------------------------------------------

nc-reorder --lead-time 10 "$FIXTURES/reorder/forecast.ndjson" >ro.ndjson 2>/dev/null
expect_success 'nc-alert -s keeps the state file as --state does' '
	test -s ro.ndjson
	nc-alert -s short.state --now 2026-11-26T06:00:00Z ro.ndjson >short.out 2>short.err
	nc-alert --state long.state --now 2026-11-26T06:00:00Z ro.ndjson >long.out
	test ! -s short.err
	test -s short.out
	cmp_files long.out short.out
	cmp_files long.state short.state
	nc-alert -s short.state --now 2026-11-26T07:00:00Z ro.ndjson >again.out
	test ! -s again.out
'

# --- nc-serve: --memory (was -s), --timeout (was -t) -----------------------

make_store nc.db
# A request whose headers are over 4096 bytes: 431 (or 414) with --memory
# 4096, 200 with the default 32768.
big=$(head -c 6000 /dev/zero | tr "\0" x)
expect_success 'nc-serve --memory bounds a request, silently' '
	LOG=new.log serve_start -d nc.db --memory 4096
	code=$(status "$U/health" -H "X-Big: $big")
	serve_stop
	cat new.log
	refute grep -q "warning: -" new.log
	case $code in 414|431) ;; *) echo "status $code"; false ;; esac
'
expect_success 'nc-serve -s still bounds it, and warns' '
	LOG=old.log serve_start -d nc.db -s 4096
	code=$(status "$U/health" -H "X-Big: $big")
	serve_stop
	case $code in 414|431) ;; *) echo "status $code"; false ;; esac
	grep -qx "nc-serve: warning: -s is deprecated; use --memory" old.log
'
expect_success 'nc-serve: the same request passes with the default memory' '
	LOG=def.log serve_start -d nc.db
	code=$(status "$U/health" -H "X-Big: $big")
	serve_stop
	test "$code" = 200
'

# idle_closed PORT: a connection that sends nothing is closed by the server
# within 5 s.
idle_closed() {
	python3 -c '
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.settimeout(5)
t = time.time()
try:
    data = s.recv(1)
except socket.timeout:
    sys.exit("still open after 5 s")
sys.exit(0 if data == b"" else "unexpected data")
' "$1"
}
expect_success 'nc-serve --timeout 1 closes an idle connection, silently' '
	LOG=new.log serve_start -d nc.db --timeout 1
	idle_closed "$PORT"
	serve_stop
	cat new.log
	refute grep -q "warning: -" new.log
'
expect_success 'nc-serve -t still sets it, and warns' '
	LOG=old.log serve_start -d nc.db -t 1
	idle_closed "$PORT"
	serve_stop
	grep -qx "nc-serve: warning: -t is deprecated; use --timeout" old.log
'
expect_success 'nc-serve: with the default timeout the idle connection stays' '
	LOG=def.log serve_start -d nc.db
	refute idle_closed "$PORT"
	serve_stop
'

# --- nothing in the tree uses an old spelling -------------------------------

expect_success 'no script, test, bench or page passes an old spelling' '
	grep -rn -E "nc-csv( [^|&;]*)? -[des] |nc-features( [^|&;]*)? -y |nc-extract-erp( [^|&;]*)? -S |nc-extract-bcb( [^|&;]*)? -f |nc-serve( [^|&;]*)? -[ts] [0-9]" \
	    "$SRC_DIR/scripts" "$SRC_DIR/bench" "$SRC_DIR/man" "$SRC_DIR/README" "$SRC_DIR/tests" |
	    grep -v -e "/t0902-vocab.sh:" -e "/t0903-vocab-erp.sh:" -e "/t0905-man-examples.sh:" -e "/node_modules/" >old.out || :
	cat old.out
	test ! -s old.out
'

done_testing
