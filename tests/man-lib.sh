# tests/man-lib.sh: run a manual page's EXAMPLES as written, in order, in a
# scratch directory, as a new analyst would from the top of the source tree.
#
#	. "$(dirname "$0")/lib.sh"
#	. "$TESTS_DIR/man-lib.sh"
#	man_scratch nc-csv.1              # cd into a fresh $TRASH/nc-csv.1
#	run_page_examples nc-csv.1
#
# The scratch directory links data/, scripts/ and tests/ of the source tree
# (read only: the files the pages name), and nothing else: a file an
# example reads must come from there or from an earlier example of the
# same page.  Each example runs in bash with pipefail, so that a failure
# upstream of a pipe is not hidden by its last command, and must exit 0
# (or 141: "| head" closing a pipe); it must not warn of a deprecated
# option; and each file it writes with ">" must not be empty, so that a
# later example cannot "succeed" on an empty file.

# man_scratch PAGE: make $TRASH/PAGE with the links, and cd there.
man_scratch() {
	rm -rf "$TRASH/$1"
	mkdir "$TRASH/$1" || return 1
	cd "$TRASH/$1" || return 1
	ln -s "$SRC_DIR/data" data
	ln -s "$SRC_DIR/scripts" scripts
	ln -s "$SRC_DIR/tests" tests
}

# example_outputs: the files an example (stdin, one line) writes with ">"
# or ">>" outside quotes, but not /dev/* nor ">&N", one a line.
example_outputs() {
	awk '{
		s = $0; n = length(s); q = ""
		for (i = 1; i <= n; i++) {
			c = substr(s, i, 1)
			if (q != "") { if (c == q) q = ""; continue }
			if (c == "\047" || c == "\"") { q = c; continue }
			if (c == "\\") { i++; continue }
			if (c != ">") continue
			if (i > 1 && substr(s, i - 1, 1) ~ /[0-9&]/) continue
			while (substr(s, i + 1, 1) == ">") i++
			if (substr(s, i + 1, 1) == "&") continue
			while (substr(s, i + 1, 1) == " ") i++
			f = ""
			while (i < n && substr(s, i + 1, 1) !~ /[ ;&|<>]/) { i++; f = f substr(s, i, 1) }
			if (f != "" && f !~ /^\/dev\//) print f
		}
	}'
}

# run_page_examples PAGE [SED [SKIP]]: one test per example of man/PAGE; SED,
# when given, is applied to each example first (only to put a test's own
# port for a documented default one); examples matching the pattern SKIP
# are left to the test that names them.
run_page_examples() {
	man_examples "$SRC_DIR/man/$1" >"$TRASH/.examples"
	test -s "$TRASH/.examples" || { _report 1 "$1 has EXAMPLES"; return; }
	_ex_n=0
	while IFS= read -r _ex; do
		_ex_n=$((_ex_n + 1))
		# $3: a pattern of the examples another test runs (named there).
		if test -n "${3:-}" && printf '%s\n' "$_ex" | grep -q -- "$3"; then
			continue
		fi
		test -z "${2:-}" || _ex=$(printf '%s\n' "$_ex" | sed "$2")
		printf '%s\n' "$_ex" | example_outputs >"$TRASH/.outputs"
		_ex_code=0
		bash -o pipefail -c "$_ex" </dev/null >"$TRASH/.ex.out" 2>"$TRASH/.ex.err" ||
			_ex_code=$?
		_ex_ok=0
		(
			echo "exit $_ex_code"
			head -n 5 "$TRASH/.ex.err"
			case $_ex_code in 0|141) ;; *) exit 1 ;; esac
			if grep "deprecated" "$TRASH/.ex.err"; then exit 1; fi
			while IFS= read -r _f; do
				test -s "$_f" || { echo "$_f: empty or missing"; exit 1; }
			done <"$TRASH/.outputs"
		) >"$TRASH/.out" 2>&1 || _ex_ok=$?
		_report "$_ex_ok" "$1 example $_ex_n: $(printf '%s' "$_ex" | cut -c1-100)"
	done <"$TRASH/.examples"
}
