#!/bin/sh
# nc-transform: the cases every filter must get right.
. "$(dirname "$0")/lib.sh"
T=$FIXTURES/transform
NOW=--now=2026-11-27T05:00:00Z
rec='{"item_id":"A","item_name":"x","cost":1,"date":"2024-06-01"}'

expect_success 'empty input: no output, exit 0' '
	nc-transform $NOW </dev/null >out 2>err && test ! -s out && test ! -s err
'

expect_success 'blank lines are skipped, not rejected' '
	printf "\n  \n%s\n\n" "$rec" | nc-transform $NOW >out 2>err &&
	test $(wc -l <out) = 1 && test ! -s err
'

expect_success 'a last line without newline, and CRLF lines' '
	printf "%s\r\n%s" "$rec" "$(echo "$rec" | sed s/A/B/)" | nc-transform $NOW >out &&
	test $(wc -l <out) = 2 && refute grep -q "$(printf "\r")" out
'

expect_success 'a very long line (1 MB field) passes whole' '
	memo=$(head -c 1000000 /dev/zero | tr "\\0" y) &&
	printf "{\"item_id\":\"A\",\"item_name\":\"x\",\"cost\":1,\"date\":\"2024-06-01\",\"memo\":\"%s\"}\n" "$memo" >long &&
	nc-transform $NOW <long >out && test $(jq -r ".memo | length" out) = 1000000
'

expect_code 3 'malformed lines are rejects, not crashes' '
	printf "%s\n" "{" "[1,2]" "\"str\"" "{\"a\":1,\"a\":2}" "$rec" | nc-transform $NOW -r rej >out 2>/dev/null' '
	test $(wc -l <out) = 1 && test $(wc -l <rej) = 4
'

expect_success 'rejected lines keep their line numbers across blank lines' '
	printf "%s\n" "$rec" "" "oops" | nc-transform $NOW -m 1 -r rej >out &&
	jq -e ".line == 3 and ._reject == \"oops\"" rej
'

expect_success '| head -n1 ends quietly (SIGPIPE or 0, nothing on stderr)' '
	LC_ALL=C awk -v items=20 -v days=400 -f $T/gen-items.awk >big &&
	head_is_quiet nc-transform $NOW -m 1000 -r /dev/null big &&
	head_is_quiet nc-transform $NOW --sorted -m 1000 -r /dev/null big
'

expect_success 'a full disk is an error, not success' '
	full_disk_fails nc-transform $NOW -m 10 -r /dev/null $T/raw.ndjson
'

expect_code 1 'a reject file that cannot be written is an error' '
	nc-transform $NOW -r /nonexistent/dir/rej </dev/null
'

expect_code 1 'a missing input file is an error, the others are still read' '
	nc-transform $NOW -m 10 -r /dev/null nosuchfile $T/raw.ndjson >out 2>err' '
	test $(wc -l <out) = 3 && grep -q "nosuchfile: No such file" err
'

expect_code 2 'a bad flag is a usage error with the usage on stderr' '
	nc-transform --bogus </dev/null 2>err' '
	grep -q "^usage: nc-transform" err
'

expect_code 2 'a bad -m value is a usage error' 'nc-transform -m lots </dev/null'
expect_code 2 'a bad --now is a usage error' 'nc-transform --now yesterday </dev/null'
expect_code 2 'a bad --since is a usage error' 'nc-transform --since 2024-13-01 </dev/null'

expect_success '-h prints the usage on stdout, exit 0' '
	nc-transform -h >out && grep -q "^usage: nc-transform" out
'

expect_success '-V prints the version' '
	nc-transform -V >out && grep -q "^nc-transform (nc) [0-9]" out
'

expect_success 'output does not depend on the locale (pt_BR uses a decimal comma)' '
	LC_ALL=pt_BR.UTF-8 nc-transform $NOW -m 10 -r /dev/null $T/raw.ndjson >a &&
	LC_ALL=C nc-transform $NOW -m 10 -r /dev/null $T/raw.ndjson >b &&
	cmp_files a b && grep -q "\"cost\":12.5," a
'

# The man page's EXAMPLES, on a small staged input.
# nc-records(5): a last line without its newline is a record; a record
# cut short is a reject (invalid JSON).
rec='{"item_id":"A","item_name":"x","cost":1,"quantity":2,"date":"2024-06-01"}'
expect_success 'a last line without a newline is a record, as nc-records(5) says' '
	printf "%s" "$rec" | nc-transform $NOW >out
	test "$(jq -r .item_id out)" = A
	grep -q "last line without one" "$SRC_DIR/man/nc-records.5"
'
expect_code 3 'a record cut short is a reject' '
	printf "%s\n%s" "$rec" "{\"item_id\":\"B\",\"item_na" | nc-transform $NOW -r rej >out 2>err
'
expect_success '... as invalid JSON, the whole record before it out' '
	test "$(jq -r .item_id out)" = A
	test "$(jq -r .reason rej | cut -c1-12)" = "invalid JSON"
'

# The EXAMPLES of nc-transform(1) run as written in t0905-man-examples.sh.
done_testing
