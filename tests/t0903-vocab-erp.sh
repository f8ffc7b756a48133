#!/bin/sh
# t0903-vocab-erp: nc-extract-erp's new state file is --new-state (-S is
# the sort memory across the toolkit, nc(7)); -S still works for one
# release, with a warning, and -s / --state read the state.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/pg.sh"
. "$TESTS_DIR/erp-lib.sh"
pg_start && erp_load || { echo "Bail out! no PostgreSQL server"; exit 1; }

BM="--bookmark created_at"
NOW=2025-03-30T00:00:00Z

expect_success '--new-state writes the state, silently' '
	nc-extract-erp $BM --new-state new.st --now $NOW >new.out 2>new.err
	test ! -s new.err
	test -s new.out
	echo "{\"bookmarks\":{\"items\":{\"created_at\":\"$NOW\"}}}" >want
	cmp_files want new.st
'
expect_success '-S still writes it, and warns' '
	nc-extract-erp $BM -S old.st --now $NOW >old.out 2>old.err
	cmp_files new.out old.out
	cmp_files new.st old.st
	echo "nc-extract-erp: warning: -S is deprecated; use --new-state" >want.err
	cmp_files want.err old.err
'
expect_success '-s and --state read the state alike: nothing new since' '
	nc-extract-erp $BM -s new.st --new-state a.st --now $NOW >a.out 2>a.err
	nc-extract-erp $BM --state new.st --new-state b.st --now $NOW >b.out 2>b.err
	test ! -s a.err
	test ! -s b.err
	test ! -s a.out
	cmp_files a.out b.out
	cmp_files a.st b.st
'
expect_code 2 '--new-state without --bookmark is a usage error naming it' \
    'nc-extract-erp --new-state x.st 2>err' '
	grep -qx "nc-extract-erp: error: -s and --new-state need --bookmark" err
'

done_testing
