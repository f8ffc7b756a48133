#!/bin/sh
# nc-extract-inmet --station: INMET's daily API through the fixture server.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/http-lib.sh"
F=$FIXTURES/inmet
fixture_start "$F"
TOKEN=Tk-9f3a2c71e5
A=api_A401_2024-01-01_2024-01-05.json

expect_success 'token form: one request, records mapped from the INMET fields' '
	fixture_scenario <<-EOF &&
	/token/estacao/diaria/2024-01-01/2024-01-05/A401/$TOKEN 200 $A
	EOF
	NC_INMET_TOKEN=$TOKEN nc-extract-inmet -u "$URL" --station A401 --since 2024-01-01 --until 2024-01-05 >out 2>err &&
	test ! -s err && test "$(wc -l <out)" = 5 &&
	head -n 1 out >first &&
	echo "{\"station\":\"A401\",\"date\":\"2024-01-01\",\"precip_mm\":1.2,\"temp_max_c\":29.2,\"temp_min_c\":24.6,\"temp_mean_c\":26.69,\"humidity_pct\":78.63,\"wind_ms\":3.71,\"hours\":null,\"station_name\":\"SALVADOR\",\"latitude\":-12.97111111,\"longitude\":-38.46055555}" >want &&
	cmp_files want first &&
	sed -n 4p out | grep -q "\"humidity_pct\":null," &&
	requests | grep -q "nc/[0-9.]* (nc-extract-inmet)"
'

expect_success 'long ranges: one request per calendar year' '
	fixture_scenario <<-EOF &&
	/token/estacao/diaria/* 204 -
	EOF
	NC_INMET_TOKEN=$TOKEN nc-extract-inmet -u "$URL" --station A401 --since 2023-06-01 --until 2025-02-10 >out &&
	test ! -s out &&
	requests | cut -d" " -f2 | sed "s|/A401/.*||" >got &&
	printf "%s\n" /token/estacao/diaria/2023-06-01/2023-12-31 /token/estacao/diaria/2024-01-01/2024-12-31 \
		/token/estacao/diaria/2025-01-01/2025-02-10 >want &&
	cmp_files want got
'

expect_success '204: no data, exit 0' '
	fixture_scenario <<-EOF &&
	/token/* 204 -
	EOF
	NC_INMET_TOKEN=$TOKEN nc-extract-inmet -u "$URL" --station A401 --since 2024-01-01 --until 2024-01-05 >out 2>err &&
	test ! -s out && test ! -s err
'

expect_code 1 'no token: the open form; 404 explains that a token is needed' '
	fixture_scenario <<-EOF
	/estacao/diaria/2024-01-01/2024-01-05/A401 404 - type=text/html
	EOF
	nc-extract-inmet -u "$URL" --station A401 --since 2024-01-01 --until 2024-01-05 >out 2>err' '
	test ! -s out && grep -q "needs a token: set NC_INMET_TOKEN" err
'

expect_code 1 '403 with a token: the token was refused, and it is never shown' '
	fixture_scenario <<-EOF
	/token/* 403 -
	EOF
	NC_INMET_TOKEN=$TOKEN nc-extract-inmet -vv -u "$URL" --station A401 --since 2024-01-01 --until 2024-01-05 >out 2>err' '
	test ! -s out && grep -q "refused the token" err && grep -q "/A401/\*\*\*" err &&
	refute grep -q "$TOKEN" err
'

expect_code 1 'retried 500s: the token stays out of every message' '
	fixture_scenario <<-EOF
	/token/* 500 html-error.html type=text/html
	EOF
	NC_INMET_TOKEN=$TOKEN nc-extract-inmet -v --retries 2 -u "$URL" --station A401 --since 2024-01-01 --until 2024-01-05 >out 2>err' '
	test ! -s out && test "$(requests | wc -l)" = 3 &&
	test "$(grep -c "retry" err)" = 2 && grep -q "error: .*/A401/\*\*\*: HTTP 500" err &&
	refute grep -q "$TOKEN" err
'

expect_code 1 'an HTML page with 200: an error, nothing written' '
	fixture_scenario <<-EOF
	/token/* 200 html-error.html type=text/html
	EOF
	NC_INMET_TOKEN=$TOKEN nc-extract-inmet -u "$URL" --station A401 --since 2024-01-01 --until 2024-01-05 >out 2>err' '
	test ! -s out && grep -q "expected application/json, got text/html" err
'

expect_code 1 'a truncated answer in the second year: nothing of the first goes out' '
	fixture_scenario <<-EOF
	/token/estacao/diaria/2023-* 200 $A
	/token/estacao/diaria/2024-* 200 $A truncate=300
	EOF
	NC_INMET_TOKEN=$TOKEN nc-extract-inmet -u "$URL" --retries 0 --station A401 --since 2023-12-01 --until 2024-01-05 >out 2>err' '
	test ! -s out && grep -q "error: " err
'

expect_code 1 'a hang: the time bound ends it' '
	fixture_scenario <<-EOF
	/token/* 200 $A hang=5
	EOF
	NC_INMET_TOKEN=$TOKEN nc-extract-inmet -u "$URL" --timeout 1 --max-time 2 --station A401 --since 2024-01-01 --until 2024-01-05 >out 2>err' '
	test ! -s out && grep -qi "timeout\|time bound" err
'

expect_code 3 'a humidity over 100 is a reject with its reason' '
	fixture_scenario <<-EOF
	/token/* 200 api_A401_bad_humidity.json
	EOF
	NC_INMET_TOKEN=$TOKEN nc-extract-inmet -r rej -u "$URL" --station A401 --since 2024-01-01 --until 2024-01-02 >out 2>err' '
	test "$(wc -l <out)" = 1 && grep -q "\"reason\":\"UMID_MED: humidity outside 0..100 %\"" rej &&
	grep -q "\"line\":2}" rej
'

expect_success 'head is quiet, a full disk fails' '
	fixture_scenario <<-EOF &&
	/token/* 200 $A
	EOF
	export NC_INMET_TOKEN=$TOKEN &&
	head_is_quiet nc-extract-inmet -u "$URL" --station A401 --since 2024-01-01 --until 2024-01-05 &&
	full_disk_fails nc-extract-inmet -u "$URL" --station A401 --since 2024-01-01 --until 2024-01-05
'

# The man page's examples: the API one against the fixture server.
fixture_scenario <<EOF
/token/estacao/diaria/2024-01-01/2024-01-05/A401/$TOKEN 200 $A
EOF
NC_INMET_URL=$URL NC_INMET_TOKEN=$TOKEN
export NC_INMET_URL NC_INMET_TOKEN
# As written (tests/man-lib.sh), in a scratch directory with the tree's data.
. "$TESTS_DIR/man-lib.sh"
man_scratch nc-extract-inmet.1 || exit 1
run_page_examples nc-extract-inmet.1
cd "$TRASH" || exit 1
done_testing
