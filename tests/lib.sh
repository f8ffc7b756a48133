# tests/lib.sh: a small TAP harness in the manner of git's t/test-lib.sh.
#
#	. "$(dirname "$0")/lib.sh"
#	expect_success 'title' 'commands'     # commands run in a fresh sh
#	expect_code 2 'title' 'command' 'checks'  # exit 2, then each check passes
#	done_testing
#
# Each test file runs in its own scratch directory ($TRASH), with the
# programs under test first on PATH ($NC_BIN, default build/bin).

set -u
TESTS_DIR=$(cd "$(dirname "$0")" && pwd)
SRC_DIR=$(dirname "$TESTS_DIR")
FIXTURES=$TESTS_DIR/fixtures
EXPECTED=$TESTS_DIR/expected
: "${NC_BIN:=$SRC_DIR/build/bin}"
: "${NC_UNIT:=$SRC_DIR/build/tests/unit}"
PATH=$NC_BIN:$SRC_DIR/scripts:$PATH
LC_ALL=${NC_TEST_LOCALE:-C}
export PATH LC_ALL NC_BIN SRC_DIR FIXTURES EXPECTED
unset NC_DB NC_INMET_TOKEN NC_WEBHOOK_URL NC_API_TOKEN

TRASH=$(mktemp -d "${TMPDIR:-/tmp}/nc-test.XXXXXX")
trap 'rm -rf "$TRASH"' EXIT
cd "$TRASH" || exit 1

test_count=0
test_failed=0

_report() {
	# _report STATUS TITLE
	test_count=$((test_count + 1))
	if test "$1" = 0; then
		printf 'ok %d - %s\n' "$test_count" "$2"
	else
		test_failed=$((test_failed + 1))
		printf 'not ok %d - %s\n' "$test_count" "$2"
		if test -s "$TRASH/.out"; then
			sed 's/^/# /' "$TRASH/.out" | head -40
		fi
	fi
}

# expect_success TITLE COMMANDS: every command must succeed.  The commands
# run under "set -e", which does not see a failure before the last command
# of an && list, nor a "!" pipeline, nor any pass of a loop but the last:
# such a body could not fail, and t0001-tests-lint.sh refuses it.  Put
# each check on a line of its own (or make it the body's last statement),
# and write "refute CMD" rather than "! CMD".
expect_success() {
	(set -e; eval "$2") >"$TRASH/.out" 2>&1
	_report $? "$1"
}

# expect_code CODE TITLE COMMAND [CHECKS]: COMMAND's status must be exactly
# CODE; then CHECKS, run as expect_success runs its body (its status in
# $code), must each pass.  A check is never folded into COMMAND's status
# ("...; exit $st" or "cmd || { checks; exit $c; }"): a failing check
# would then look like the expected code 1.
expect_code() {
	code=0
	(eval "$3") >"$TRASH/.out" 2>&1 || code=$?
	if test "$code" != "$1"; then
		echo "expected exit $1, got $code" >>"$TRASH/.out"
		_report 1 "$2"
		return
	fi
	# Not "if ! (set -e; ...)": in a condition, set -e is ignored, in the
	# subshell too, and only the last check would count.
	_checks=0
	if test $# -ge 4; then
		(set -e; eval "$4") >>"$TRASH/.out" 2>&1
		_checks=$?
	fi
	if test "$_checks" != 0; then
		echo "exit $code as expected, but a check failed" >>"$TRASH/.out"
	fi
	_report "$_checks" "$2"
}

# refute CMD [ARGS]: CMD must exit 1 (false, no match): "refute grep -q x
# f" where "! grep -q x f" would be ignored under set -e, and a crash or an
# error (grep's 2) does not count as "no match".
refute() {
	_rf_rc=0
	"$@" || _rf_rc=$?
	test "$_rf_rc" = 1 && return 0
	echo "refute: exit $_rf_rc from: $*"
	return 1
}

# exits CODE CMD [ARGS]: CMD's status must be exactly CODE; for a side
# command in a check ("exits 2 nc-x -k a,a"), not "cmd; test $? = 2".
exits() {
	_ex_want=$1
	shift
	_ex_rc=0
	"$@" || _ex_rc=$?
	test "$_ex_rc" = "$_ex_want" && return 0
	echo "exits: expected $_ex_want, got $_ex_rc from: $*"
	return 1
}

# cmp_files EXPECTED ACTUAL: fails with a diff.
cmp_files() {
	if ! cmp -s "$1" "$2"; then
		diff -u "$1" "$2" | head -40
		return 1
	fi
}

# The status of cmd, run with its stdout to /dev/full; must be 1 with a
# "write error" message.
full_disk_fails() {
	_code=0
	"$@" >/dev/full 2>"$TRASH/.full" || _code=$?
	test "$_code" = 1 || { echo "exit $_code on /dev/full"; cat "$TRASH/.full"; return 1; }
	grep -q 'write error' "$TRASH/.full" || { cat "$TRASH/.full"; return 1; }
}

# Runs "cmd | head -n 1"; cmd must end by SIGPIPE (141) or 0, stderr empty.
head_is_quiet() {
	_st=$( { _c=0; "$@" 2>"$TRASH/.pipe" || _c=$?; echo $_c >"$TRASH/.pipest"; } |
		head -n 1 >/dev/null; cat "$TRASH/.pipest")
	case $_st in 0|141) ;; *) echo "exit $_st under head"; return 1 ;; esac
	test ! -s "$TRASH/.pipe" || { cat "$TRASH/.pipe"; return 1; }
}

# man_examples PAGE: the commands of the page's EXAMPLES section, one per
# line: each ".Dl" line, with mdoc escapes (\e, \(ba, \-, \&) undone.
man_examples() {
	sed -n '/^\.Sh EXAMPLES/,/^\.Sh /s/^\.Dl //p' "$1" |
	sed -e 's/\\e/\\/g' -e 's/\\(ba/|/g' -e 's/\\-/-/g' -e 's/\\&//g'
}

# run_man_examples PAGE: one test per example, each must exit 0.
run_man_examples() {
	man_examples "$1" >"$TRASH/.examples"
	test -s "$TRASH/.examples" || { _report 1 "$(basename "$1") has EXAMPLES"; return; }
	while IFS= read -r _ex; do
		expect_success "example: $_ex" "$_ex >/dev/null"
	done <"$TRASH/.examples"
}

done_testing() {
	echo "1..$test_count"
	test "$test_failed" = 0
}
