#!/bin/sh
# nc-features: the cases every filter must get right, and the man page.
. "$(dirname "$0")/lib.sh"
F=$FIXTURES/features
rec='{"item_id":"A","quantity":1,"date":"2024-06-01"}'

expect_success 'empty input: no output, exit 0' '
	nc-features </dev/null >out 2>err && test ! -s out && test ! -s err
'

expect_success 'blank lines skipped, CRLF and a last line without newline read' '
	printf "\n%s\r\n\n%s" "$rec" "{\"item_id\":\"A\",\"quantity\":2,\"date\":\"2024-06-03\"}" | nc-features >out 2>err &&
	test $(wc -l <out) = 3 && test ! -s err && refute grep -q "$(printf "\r")" out
'

expect_code 3 'malformed lines, missing keys, bad dates and targets are rejects' '
	printf "%s\n" "{" "[1]" "{\"quantity\":1,\"date\":\"2024-06-01\"}" \
	    "{\"item_id\":\"A\",\"quantity\":1,\"date\":\"2024-02-30\"}" \
	    "{\"item_id\":\"A\",\"quantity\":\"lots\",\"date\":\"2024-06-01\"}" \
	    "{\"item_id\":null,\"quantity\":1,\"date\":\"2024-06-01\"}" "$rec" |
	nc-features -r rej >out' '
	test $(wc -l <out) = 1 && test $(wc -l <rej) = 6 &&
	jq -s -e "map(.reason) == [\"invalid JSON: string or '"'"'}'"'"' expected near end of file\", \"not a JSON object\", \"item_id: missing key\", \"date: not a date\", \"quantity: not a number\", \"item_id: missing key\"] or (map(.line) == [1,2,3,4,5,6])" rej >/dev/null
'

expect_success '-m allows that many rejects' '
	printf "%s\n" "oops" "$rec" | nc-features -m 1 -r /dev/null >out && test $(wc -l <out) = 1
'

expect_success 'unknown fields pass through in order; owned fields are replaced' '
	echo "{\"item_id\":\"A\",\"zeta\":[1,{\"a\":2}],\"lag_1\":99,\"quantity\":4,\"date\":\"2024-06-01\",\"_src\":\"x\"}" | nc-features >out &&
	test "$(jq -r "keys_unsorted[:5] | join(\",\")" out)" = "item_id,zeta,quantity,date,_src" &&
	test "$(jq -c .zeta out)" = "[1,{\"a\":2}]" && test "$(jq .lag_1 out)" = null
'

expect_success '| head -n1 ends quietly' '
	LC_ALL=C awk -v items=30 -v days=400 -f $F/gen-series.awk >big &&
	head_is_quiet nc-features big && head_is_quiet nc-features --sorted big
'

expect_success 'a full disk is an error, not success' '
	full_disk_fails nc-features $F/sample.ndjson
'

expect_code 1 'a missing input file is an error, the others are still read' '
	nc-features nosuch $F/sample.ndjson >out 2>err' '
	test -s out && grep -q "nosuch" err
'

expect_code 1 'a reject file that cannot be written is an error' 'nc-features -r /nonexistent/x </dev/null'
expect_code 2 'a bad flag: usage on stderr' '
	nc-features --bogus </dev/null 2>err' '
	grep -q "^usage: nc-features" err
'
expect_code 2 'a bad --period' 'nc-features --period year </dev/null'
expect_code 2 'a bad --until' 'nc-features --until 2024-13-01 </dev/null'
expect_code 2 'a bad --dup' 'nc-features --dup keep </dev/null'
expect_code 2 'date as a key field' 'nc-features -k item_id,date </dev/null'
expect_code 2 'a bad --threads' 'nc-features --threads 0 </dev/null'

expect_success '-h prints the usage on stdout; -V the version' '
	nc-features -h >out && grep -q "^usage: nc-features" out &&
	nc-features -V >out && grep -q "^nc-features (nc) [0-9]" out
'

expect_success 'output does not depend on the locale, nor on the threads' '
	LC_ALL=pt_BR.UTF-8 nc-features $F/sample.ndjson >a &&
	LC_ALL=C nc-features --threads 1 $F/sample.ndjson >b &&
	cmp_files a b && grep -q "\"rolling_mean_7\":[0-9]*\.[0-9]" a
'

expect_success '-v reports the counts' '
	nc-features -v $F/sample.ndjson >out 2>err &&
	grep -q "^nc-features: 197 in, $(wc -l <out) out, [0-9]* filled, 0 rejected$" err
'

# The EXAMPLES of nc-features(1) run as written in t0905-man-examples.sh.

done_testing
