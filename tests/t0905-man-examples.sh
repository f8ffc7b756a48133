#!/bin/sh
# t0905-man-examples: the EXAMPLES of every manual page that needs no
# server run as written, in order, each page in a scratch directory with
# only the source tree's data/, scripts/ and tests/ (tests/man-lib.sh).
# The others run in the tests that start their servers: nc-extract-erp(1)
# in t1000 (PostgreSQL), nc-extract-bcb(1) in t1100 and nc-extract-inmet(1)
# in t1210 (the HTTP fixture), nc-serve(1) in t0906, and nc-daily(1) in
# t0990, which checks the store its examples make.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/man-lib.sh"

is_png() {
	test "$(od -An -tx1 -N8 "$1" | tr -d " \n")" = 89504e470d0a1a0a
}

for page in nc.7 nc-records.5 nc-csv.1 nc-sample-map.1 nc-transform.1 \
    nc-store.1 nc-features.1 nc-forecast.1 nc-reorder.1 nc-alert.1 nc-plot.1; do
	man_scratch "$page" || exit 1
	run_page_examples "$page"
done
cd "$TRASH" || exit 1

expect_success 'the nc-plot(1) examples drew their charts' '
	is_png nc-plot.1/first.png
	is_png nc-plot.1/reorder.png
'

expect_success 'every page runs: here, or in the test its comment above names' '
	ls "$SRC_DIR/man" | sort >pages
	{
		printf "%s\n" nc.7 nc-records.5 nc-csv.1 nc-sample-map.1 nc-transform.1 \
		    nc-store.1 nc-features.1 nc-forecast.1 nc-reorder.1 nc-alert.1 nc-plot.1
		sed -n "s/^run_page_examples \([a-z0-9.-]*\).*/\1/p" \
		    "$TESTS_DIR"/t1000-*.sh "$TESTS_DIR"/t1100-*.sh "$TESTS_DIR"/t1210-*.sh \
		    "$TESTS_DIR"/t0906-*.sh "$TESTS_DIR"/t0990-*.sh
	} | sort >run
	cmp_files pages run
'

# The runner itself: it must fail an example that fails upstream of a pipe,
# that writes an empty file, or that warns of a deprecated option.
printf '%s\n' '.Sh EXAMPLES' '.Dl false \(ba cat' '.Dl true > empty.out' \
    ".Dl printf 'a\\\\tb\\\\n' \\(ba nc-csv -d tab" \
    ".Dl echo '{\"x\":1}' \\(ba jq -c 'select(.x > 0)' > ok.out" \
    '.Sh SEE ALSO' >"$TRASH/runner.1"
expect_success 'the runner fails a failure upstream, an empty file, an old option' '
	mkdir -p "$TRASH/runner" "$TRASH/fake/man"
	cp "$TRASH/runner.1" "$TRASH/fake/man/runner.1"
	cd "$TRASH/runner"
	(SRC_DIR=$TRASH/fake; TRASH=$TRASH/runner; test_count=0; test_failed=0
	 run_page_examples runner.1) >tap
	cat tap
	grep -q "^not ok 1 - runner.1 example 1" tap
	grep -q "^not ok 2 - runner.1 example 2" tap
	grep -q "^not ok 3 - runner.1 example 3" tap
	grep -q "^ok 4 - runner.1 example 4" tap
'

done_testing
