#!/bin/sh
# nc-extract-bcb: SGS answers over HTTP (a loopback fixture server), windows,
# monthly edges, and the fault cases of the shared HTTP layer.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/http-lib.sh"
F=$FIXTURES/bcb
# The server serves a copy of the fixtures, so that a test can add answers.
mkdir www && cp "$F"/* www/
fixture_start "$TRASH/www"
S=/dados/serie/bcdata.sgs

expect_success 'lib/http unit tests' '
	"$NC_UNIT/http" >unit.out &&
	refute grep "^not ok" unit.out && grep -q "^1\.\." unit.out
'

expect_success 'IPCA 2024: one request, 12 records, ISO dates, numbers' '
	fixture_scenario <<-EOF &&
	$S.433/dados?formato=json&dataInicial=01/01/2024&dataFinal=31/12/2024 200 sgs_433_2024_200.json
	EOF
	nc-extract-bcb -u "$URL" --since 2024-01-01 --until 2024-12-31 ipca >out &&
	test "$(wc -l <out)" = 12 &&
	head -n 1 out >first &&
	echo "{\"series\":\"ipca\",\"code\":433,\"date\":\"2024-01-01\",\"value\":0.42}" >want &&
	cmp_files want first &&
	grep -q "\"date\":\"2024-08-01\",\"value\":-0.02}" out &&
	test "$(requests | wc -l)" = 1 &&
	requests | grep -q "nc/[0-9.]* (nc-extract-bcb)"
'

expect_success 'each SGS row becomes one record with the same value (independent check)' '
	fixture_scenario <<-EOF &&
	$S.1/* 200 sgs_1_2025-01-01_2025-01-31_200.json
	EOF
	nc-extract-bcb -u "$URL" --since 2025-01-01 --until 2025-01-31 usd >out &&
	LC_ALL=C sed "s/},{/}\n{/g" "$F/sgs_1_2025-01-01_2025-01-31_200.json" |
		LC_ALL=C sed -n "s/.*\"data\":\"\([0-9]*\)\/\([0-9]*\)\/\([0-9]*\)\",\"valor\":\"\([0-9.]*\)\".*/\3-\2-\1 \4/p" >want.txt &&
	LC_ALL=C sed -n "s/.*\"date\":\"\([0-9-]*\)\",\"value\":\([0-9.]*\)}/\1 \2/p" out >got.txt &&
	awk "{ \$2 = \$2 + 0; print }" want.txt >want2 && awk "{ \$2 = \$2 + 0; print }" got.txt >got2 &&
	test -s want2 && cmp_files want2 got2 &&
	grep -q "\"series\":\"usd\",\"code\":1," out
'

expect_success 'a range over 10 years: windows under 10 years, month-aligned; 404 is empty' '
	fixture_scenario <<-EOF &&
	$S.1/dados?formato=json&dataInicial=15/01/2010&dataFinal=31/12/2019 404 sgs_1_weekend_404.json
	$S.1/dados?formato=json&dataInicial=01/01/2020&dataFinal=31/10/2025 200 sgs_1_2020-11_2025-10_200.json
	EOF
	nc-extract-bcb -u "$URL" --since 2010-01-15 --until 2025-10-31 1 >out &&
	test "$(requests | wc -l)" = 2 &&
	test "$(wc -l <out)" = "$(grep -c "\"data\"" "$F/sgs_1_2020-11_2025-10_200.json")" &&
	LC_ALL=C sort -c out
'

expect_success 'monthly edges: Dec 2023 (the month of --since) from both windows from both windows comes out once, Jan 2024 once' '
	printf "%s\n" "[{\"data\":\"01/12/2023\",\"valor\":\"0.56\"},{\"data\":\"01/01/2024\",\"valor\":\"0.42\"}]" >"$TRASH/www/two.json" &&
	fixture_scenario <<-EOF &&
	$S.433/dados?formato=json&dataInicial=15/12/2013&dataFinal=30/11/2023 200 sgs_433_2023-12-15_2023-12-31_200.json
	$S.433/dados?formato=json&dataInicial=01/12/2023&dataFinal=31/01/2024 200 two.json
	EOF
	nc-extract-bcb -u "$URL" --since 2013-12-15 --until 2024-01-31 ipca >out &&
	printf "%s\n%s\n" "{\"series\":\"ipca\",\"code\":433,\"date\":\"2023-12-01\",\"value\":0.56}" \
		"{\"series\":\"ipca\",\"code\":433,\"date\":\"2024-01-01\",\"value\":0.42}" >want &&
	cmp_files want out
'

expect_success '--last 3: /ultimos/3' '
	fixture_scenario <<-EOF &&
	$S.1/dados/ultimos/3?formato=json 200 sgs_1_ultimos3_200.json
	EOF
	nc-extract-bcb -u "$URL" --last 3 usd >out &&
	test "$(wc -l <out)" = 3 && tail -n 1 out | grep -q "\"date\":\"2026-09-04\",\"value\":5.1253}"
'

expect_success '500 then 200: retried, and the run succeeds' '
	fixture_scenario <<-EOF &&
	$S.433/* 500 - times=1
	$S.433/* 200 sgs_433_2024_200.json
	EOF
	nc-extract-bcb -v -u "$URL" --since 2024-01-01 --until 2024-12-31 ipca >out 2>err &&
	test "$(wc -l <out)" = 12 && test "$(requests | wc -l)" = 2 &&
	grep -q "HTTP 500; retry 1 of 5" err
'

expect_success '429 with Retry-After: waits and retries' '
	fixture_scenario <<-EOF &&
	$S.433/* 429 - times=1 retry-after=1
	$S.433/* 200 sgs_433_2024_200.json
	EOF
	nc-extract-bcb -v -u "$URL" --since 2024-01-01 --until 2024-12-31 ipca >out 2>err &&
	test "$(wc -l <out)" = 12 && test "$(requests | wc -l)" = 2 &&
	grep -q "HTTP 429; retry 1 of 5 in 1000 ms" err
'

expect_code 1 'a Retry-After past the time bound: gives up at once, nothing written' '
	fixture_scenario <<-EOF
	$S.433/* 503 - retry-after=3600
	EOF
	nc-extract-bcb -u "$URL" --max-time 20 --since 2024-01-01 --until 2024-12-31 ipca >out 2>err' '
	test ! -s out && test "$(requests | wc -l)" = 1 &&
	grep -q "error: .*HTTP 503.*would pass the total time bound" err
'

expect_code 1 'a hang: timeout, retried, then failure with nothing written' '
	fixture_scenario <<-EOF
	$S.433/* 200 sgs_433_2024_200.json hang=4
	EOF
	nc-extract-bcb -u "$URL" --timeout 1 --retries 1 --since 2024-01-01 --until 2024-12-31 ipca >out 2>err' '
	test ! -s out && test "$(requests | wc -l)" = 2 &&
	grep -qi "error: .*timeout" err
'

expect_code 1 'a truncated body is not data: retried, then failure, nothing written' '
	fixture_scenario <<-EOF
	$S.433/* 200 sgs_433_2024_200.json truncate=100
	EOF
	nc-extract-bcb -u "$URL" --retries 1 --since 2024-01-01 --until 2024-12-31 ipca >out 2>err' '
	test ! -s out && test "$(requests | wc -l)" = 2 && grep -q "error: " err
'

expect_code 1 'an HTML page with status 200 is an error, not data' '
	fixture_scenario <<-EOF
	$S.433/* 200 html-error.html type=text/html;+charset=utf-8
	EOF
	nc-extract-bcb -u "$URL" --since 2024-01-01 --until 2024-12-31 ipca >out 2>err' '
	test ! -s out && grep -q "expected application/json, got text/html" err
'

expect_code 1 '406 (window over 10 years): an error with the API message' '
	fixture_scenario <<-EOF
	$S.1/* 406 sgs_1_window_over_10y_406.json
	EOF
	nc-extract-bcb -u "$URL" --since 2024-01-01 --until 2024-01-31 usd >out 2>err' '
	test ! -s out && grep -q "HTTP 406: O sistema aceita uma janela de consulta de, no m.*ximo, 10 anos" err &&
	test "$(requests | wc -l)" = 1
'

expect_success '404 Value(s) not found: an empty window, exit 0, no output' '
	fixture_scenario <<-EOF &&
	$S.1/* 404 sgs_1_weekend_404.json
	EOF
	nc-extract-bcb -u "$URL" --since 2024-01-06 --until 2024-01-07 usd >out 2>err &&
	test ! -s out && test ! -s err
'

expect_code 1 'a failing second series leaves no records of the first' '
	fixture_scenario <<-EOF
	$S.433/* 200 sgs_433_2024_200.json
	$S.1/* 400 sgs_1_ultimos21_400.json
	EOF
	nc-extract-bcb -u "$URL" --since 2024-01-01 --until 2024-12-31 ipca usd >out 2>err' '
	test ! -s out && grep -q "HTTP 400: A quantidade m.*xima de valores deve ser 20" err
'

expect_code 3 'a row with a bad value is a reject (exit 3 over -m 0), the others go out' '
	printf "%s\n" "[{\"data\":\"01/01/2024\",\"valor\":\"0.42\"},{\"data\":\"01/02/2024\",\"valor\":\"n/d\"},{\"data\":\"31/02/2024\",\"valor\":\"1\"}]" >"$TRASH/www/bad.json"
	fixture_scenario <<-EOF
	$S.433/* 200 bad.json
	EOF
	nc-extract-bcb -u "$URL" -r rej --since 2024-01-01 --until 2024-12-31 ipca >out 2>err' '
	test "$(wc -l <out)" = 1 && grep -q "valor: not a number" rej && grep -q "data: not a date" rej &&
	grep -q "\"line\":2" rej
'

# Dates within one answer rise; a repeated or earlier date is a reject.
printf "%s\n" "[{\"data\":\"02/01/2024\",\"valor\":\"1\"},{\"data\":\"02/01/2024\",\"valor\":\"2\"},{\"data\":\"01/01/2024\",\"valor\":\"3\"}]" \
	>disorder.json
expect_code 3 'a repeated date and an earlier one: 3 rows in, 1 out, 2 rejects (exit 3 over -m 0)' '
	nc-extract-bcb --file disorder.json -r rej --since 2024-01-01 usd >out 2>err
'
expect_success '... each with its reason and line' '
	test "$(wc -l <out)" = 1
	test "$(jq -r .value out)" = 1
	test "$(jq -r "[.line, .reason] | @tsv" rej)" = "$(printf "2\tdata: repeated date\n3\tdata: out of order (before the row above)")"
'
expect_success '... and in = out + rejected with -m' '
	nc-extract-bcb --file disorder.json -m 2 -r rej --since 2024-01-01 usd >out 2>err
	test "$(($(wc -l <out) + $(wc -l <rej)))" = 3
'

expect_success 'head is quiet, a full disk fails' '
	fixture_scenario <<-EOF &&
	$S.433/* 200 sgs_433_2024_200.json
	EOF
	head_is_quiet nc-extract-bcb -u "$URL" --since 2024-01-01 --until 2024-12-31 ipca &&
	full_disk_fails nc-extract-bcb -u "$URL" --since 2024-01-01 --until 2024-12-31 ipca
'

expect_code 2 'bad flag' 'nc-extract-bcb --bogus ipca'
expect_code 2 'no series' 'nc-extract-bcb --since 2024-01-01'
expect_code 2 'neither --since nor --last' 'nc-extract-bcb ipca'
expect_code 2 '--last over 20' 'nc-extract-bcb --last 21 usd'
expect_code 2 'a bad date' 'nc-extract-bcb --since 2024-02-30 usd'
expect_code 2 'an unknown series name' 'nc-extract-bcb --since 2024-01-01 dolar'
expect_code 2 '--file takes one series' 'nc-extract-bcb --file x.json ipca usd'
expect_success '-h and -V' 'nc-extract-bcb -h | grep -q "^usage: nc-extract-bcb" && nc-extract-bcb -V | grep -q "nc-extract-bcb (nc)"'

# The man page's examples: the API ones against the fixture server.
fixture_scenario <<EOF
$S.433/dados?formato=json&dataInicial=01/01/2024&dataFinal=31/12/2024 200 sgs_433_2024_200.json
$S.1/dados?formato=json&dataInicial=01/01/2025&dataFinal=31/01/2025 200 sgs_1_2025-01-01_2025-01-31_200.json
$S.1/dados/ultimos/3?formato=json 200 sgs_1_ultimos3_200.json
EOF
NC_BCB_URL=$URL
export NC_BCB_URL
# As written (tests/man-lib.sh), in a scratch directory with the tree's data.
. "$TESTS_DIR/man-lib.sh"
man_scratch nc-extract-bcb.1 || exit 1
run_page_examples nc-extract-bcb.1
cd "$TRASH" || exit 1
done_testing
