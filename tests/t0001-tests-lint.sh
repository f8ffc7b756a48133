#!/bin/sh
# The test suite itself: no test body whose failures sh would swallow.
. "$(dirname "$0")/lib.sh"

expect_success 'no check is lost to && lists, "!" or "exit $st" (tests/lint-bodies.awk)' '
	awk -f "$TESTS_DIR/lint-bodies.awk" "$TESTS_DIR"/*.sh
'

# The linter finds each pattern it exists for.
cat >bad.sh <<'B'
expect_success 'an && list in the middle' '
	false && true
	true
'
expect_success 'a ! pipeline in the middle' '
	! true
	true
'
expect_code 1 'a check folded into the status' '
	false; st=$?
	grep -q x err; exit $st
'
expect_success 'a loop' '
	for i in 1 2; do
		false && true
	done
'
expect_success 'a ; after a chain' '
	true && false; true
	true
'
B
expect_success 'the linter catches each swallowed status' '
	st=0; awk -f "$TESTS_DIR/lint-bodies.awk" bad.sh >found || st=$?
	test $st = 1
	test "$(cut -d: -f2 found | tr "\n" " ")" = "2 6 11 14 19 "
'

cat >good.sh <<'B'
expect_success 'each check on its own line; the last may be a chain' '
	echo "a && b; ! c" >f
	grep -q "&&" f
	cat >g <<-\EOF
	x && y
	EOF
	for i in 1 2; do
		test -s f || exit 1
	done
	true && ! false
'
expect_code 1 'a command, then its checks' '
	false && true' '
	true
	true && true
'
B
expect_success 'and accepts the forms the suite uses' '
	awk -f "$TESTS_DIR/lint-bodies.awk" good.sh
'

expect_success 'expect_code fails when a check fails, though the status is as expected' '
	(cd "$SRC_DIR"
	 set +e
	 . "$TESTS_DIR/lib.sh"
	 expect_code 1 inner1 false false
	 expect_code 1 inner2 false true
	 expect_code 1 inner3 true true
	 expect_code 1 inner4 false "false
		true"
	 echo "failed $test_failed") >inner.out
	grep -q "^not ok 1 - inner1" inner.out
	grep -q "^ok 2 - inner2" inner.out
	grep -q "^not ok 3 - inner3" inner.out
	grep -q "^not ok 4 - inner4" inner.out
	grep -qx "failed 3" inner.out
'

expect_success 'refute and exits want the exact status' '
	refute false
	exits 1 refute true
	exits 1 refute sh -c "exit 2"
	exits 3 sh -c "exit 3"
'

done_testing
