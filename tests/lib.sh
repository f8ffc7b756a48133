# tests/lib.sh: a small TAP harness in the manner of git's t/test-lib.sh.
#
#	. "$(dirname "$0")/lib.sh"
#	expect_success 'title' 'commands'     # commands run in a fresh sh
#	expect_code 2 'title' 'commands'      # exit status must be exactly 2
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

# expect_success TITLE COMMANDS
expect_success() {
	(set -e; eval "$2") >"$TRASH/.out" 2>&1
	_report $? "$1"
}

# expect_code CODE TITLE COMMANDS: the last command's status must be CODE.
expect_code() {
	_code=0
	(eval "$3") >"$TRASH/.out" 2>&1 || _code=$?
	if test "$_code" != "$1"; then
		echo "expected exit $1, got $_code" >>"$TRASH/.out"
		_report 1 "$2"
	else
		_report 0 "$2"
	fi
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
