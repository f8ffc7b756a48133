#!/bin/sh
# nc-csv: options, usage, version, man page.
. "$(dirname "$0")/lib.sh"
F=$FIXTURES/csv

expect_success '-h prints the usage on stdout and exits 0' '
	nc-csv -h >out 2>err && grep -q "^usage: nc-csv " out && test ! -s err &&
	nc-csv --help >out2 && cmp_files out out2
'

expect_success '-V prints the version' '
	nc-csv -V >out && grep -q "^nc-csv (nc) [0-9]" out
'

expect_code 2 'a bad flag exits 2 with the usage on stderr' '
	nc-csv -Q <"$F/typed.csv" >out 2>err' '
	grep -q "^usage: nc-csv" err && test ! -s out
'

expect_code 2 'a reading option with --to-csv is a usage error' '
	nc-csv --to-csv -D date </dev/null 2>err' '
	grep -q -- "-D: not with --to-csv" err && grep -q "^usage:" err
'

expect_code 2 '--excel without --to-csv is a usage error' '
	nc-csv --excel </dev/null 2>err' '
	grep -q -- "--excel: only with --to-csv" err
'

expect_code 2 '-m needs a number' 'nc-csv -m x </dev/null'
expect_code 2 '--encoding needs a known encoding' 'nc-csv --encoding ebcdic </dev/null'
expect_code 2 '-F needs one character' 'nc-csv -F ab </dev/null'
expect_code 2 '--rename needs old=new' 'nc-csv --rename a </dev/null'

expect_success '--strings, -D or --rename naming no column: a warning' '
	printf "a\n1\n" | nc-csv --strings nosuch >out 2>err &&
	grep -q "stdin: --strings: no column .nosuch." err && test "$(cat out)" = "{\"a\":1}"
'

expect_success 'the usage and the SYNOPSIS list the same options' '
	nc-csv -h | sed "/^\$/q" | grep -o -- "-[-a-zA-Z]*" | sort -u >from-usage &&
	mandoc -Tascii "$SRC_DIR/man/nc-csv.1" | col -b |
	    sed -n "/^SYNOPSIS/,/^DESCRIPTION/p" | grep -o -- "-[-a-zA-Z]*" | sort -u >from-man &&
	cmp_files from-usage from-man
'

expect_success 'the man page is mandoc -Tlint clean' '
	mandoc -Tlint -Wwarning "$SRC_DIR/man/nc-csv.1"
'

# The EXAMPLES of nc-csv(1) run as written in t0905-man-examples.sh.

done_testing
