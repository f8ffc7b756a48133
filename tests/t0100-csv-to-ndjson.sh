#!/bin/sh
# nc-csv: CSV rows to NDJSON records.
. "$(dirname "$0")/lib.sh"
F=$FIXTURES/csv
X=$EXPECTED/csv

expect_success 'lib/text unit tests' '
	"$NC_UNIT/text" >unit.out &&
	refute grep "^not ok" unit.out && grep -q "^1\.\." unit.out
'

expect_success 'header keys in order; numbers, codes, nulls, --strings and -D' '
	nc-csv --strings item_id -D date "$F/typed.csv" >out &&
	cmp_files "$X/typed.ndjson" out
'

expect_success 'leading-zero codes stay strings, integers and reals are numbers' '
	nc-csv "$F/typed.csv" >out &&
	grep -q "\"item_id\":1,\"name\":\"Cabo\",\"code\":\"010825\",\"qty\":10,\"price\":12.5," out &&
	grep -q "\"big\":\"123456789012345678901\"" out &&
	grep -q "\"big\":9223372036854775807," out &&
	grep -q "\"date\":\"27/11/2026\"" out
'

expect_success 'the real ERP export (golden)' '
	nc-csv "$F/requisicoes-head.csv" >out &&
	cmp_files "$X/requisicoes-head.ndjson" out
'

expect_success 'INMET: --skip 8, Latin-1, ; and decimal comma (golden)' '
	nc-csv --skip 8 --decimal-comma -D Data "$F/INMET_CO_DF_A001_BRASILIA_2026_head57.CSV" >out 2>err &&
	cmp_files "$X/inmet.ndjson" out &&
	test ! -s err &&
	grep -q "\"PRECIPITAÇÃO TOTAL, HORÁRIO (mm)\":0," out &&
	grep -q "\"VENTO, VELOCIDADE HORARIA (m/s)\":0.8,\"column_20\":null}" out
'

expect_success 'the two real-file goldens agree with Python'"'"'s csv module' '
	python3 "$EXPECTED/crosscheck-csv.py" "$F" "$X"
'

expect_success '--decimal-comma: 1.234,56 ,8 -3,5, groups of three, -n sentinels' '
	nc-csv --decimal-comma -n -9999 -n NA "$F/br.csv" >out &&
	cmp_files "$X/br.ndjson" out
'

expect_success 'without --decimal-comma, 1.234,56 is a string' '
	nc-csv "$F/br.csv" >out &&
	grep -q "\"valor\":\"1.234,56\",\"qtd\":\",8\",\"grupo\":1.23" out &&
	grep -q "\"valor\":-9999," out
'

expect_success '; is detected; tab is detected; -F sets it' '
	printf "a;b;c,d\n1;2;3,5\n" | nc-csv >out &&
	echo "{\"a\":1,\"b\":2,\"c,d\":\"3,5\"}" >want && cmp_files want out &&
	printf "a\tb\n1\tx y\n" | nc-csv >out &&
	echo "{\"a\":1,\"b\":\"x y\"}" >want && cmp_files want out &&
	printf "a;b;c,d\n1;2;3,5\n" | nc-csv -F , >out &&
	echo "{\"a;b;c\":\"1;2;3\",\"d\":5}" >want && cmp_files want out
'

expect_success 'quoted fields: newline, delimiter, doubled quotes; reject line numbers' '
	cp "$F/quoted.csv" . &&
	nc-csv -m 1 -r rej quoted.csv >out 2>err &&
	cmp_files "$X/quoted.ndjson" out &&
	echo "{\"_reject\":[\"4\",\"too\",\"many\",\"fields\"],\"reason\":\"expected 3 fields, got 4\",\"tool\":\"nc-csv\",\"input\":\"quoted.csv\",\"line\":6}" >want &&
	cmp_files want rej &&
	grep -q "1 record rejected, see rej" err
'

expect_code 3 'a wrong field count is over -m 0: exit 3, named on stderr' '
	nc-csv "$F/quoted.csv" >out 2>err' '
	grep -q "quoted.csv:6: expected 3 fields, got 4" err &&
	test "$(wc -l <out)" = 4
'

expect_success 'the line number is where a row begins' '
	printf "a,b\n1,\"x\ny\nz\"\n2\n" | nc-csv -m 1 -r rej >out &&
	grep -q "\"line\":5" rej && grep -q "\"_reject\":\[\"2\"\]" rej
'

expect_code 3 'a quote still open at the end of the file is a reject' '
	printf "a,b\n1,x\n2,\"open\n3,y\n" | nc-csv -r rej >out' '
	echo "{\"a\":1,\"b\":\"x\"}" >want && cmp_files want out &&
	grep -q "\"reason\":\"quoted field not closed at the end of the file\",.*\"line\":3" rej
'

expect_code 1 'an invalid header is a failure (exit 1)' '
	printf "n\347\n1\n" | nc-csv --encoding utf8 2>err' '
	grep -q "stdin:1: error: header: invalid UTF-8" err
'

expect_success 'UTF-8 with a BOM: the BOM is dropped' '
	printf "\357\273\277a,b\n1,\303\247\n" | nc-csv >out &&
	printf "{\"a\":1,\"b\":\"\303\247\"}\n" >want && cmp_files want out
'

expect_success 'Latin-1 is detected and converted' '
	printf "nome;cidade\nJo\343o;Cama\347ari\n" >l1.csv &&
	nc-csv l1.csv >out &&
	printf "{\"nome\":\"Jo\303\243o\",\"cidade\":\"Cama\303\247ari\"}\n" >want &&
	cmp_files want out
'

expect_success '--encoding latin1 reads UTF-8 bytes as Latin-1' '
	printf "a\n\303\247\n" | nc-csv --encoding latin1 >out &&
	printf "{\"a\":\"\303\203\302\247\"}\n" >want && cmp_files want out
'

expect_success 'after multi-byte UTF-8, a Latin-1 row is a reject' '
	printf "a,b\n1,\303\247\n2,\347\n3,x\n" | nc-csv -m 1 -r rej >out &&
	test "$(wc -l <out)" = 2 &&
	printf "{\"_reject\":[\"2\",\"\357\277\275\"],\"reason\":\"invalid UTF-8\",\"tool\":\"nc-csv\",\"input\":\"stdin\",\"line\":3}\n" >want &&
	cmp_files want rej
'

expect_code 3 '--encoding utf8 refuses Latin-1 rows' '
	printf "a\n\347\n" | nc-csv --encoding utf8 2>err' '
	grep -q "stdin:2: invalid UTF-8" err
'

expect_success 'CRLF line ends, also inside quotes' '
	printf "a,b\r\n1,\"x\r\ny\"\r\n2,z\r\n" | nc-csv >out &&
	printf "{\"a\":1,\"b\":\"x\\\\ny\"}\n{\"a\":2,\"b\":\"z\"}\n" >want && cmp_files want out
'

expect_success 'a last line without a newline is a row' '
	printf "a,b\n1,2" | nc-csv >out &&
	echo "{\"a\":1,\"b\":2}" >want && cmp_files want out
'

expect_success 'empty input: no output, exit 0' '
	: | nc-csv >out 2>err && test ! -s out && test ! -s err
'

expect_success 'header only: no output, exit 0' '
	printf "a,b\n" | nc-csv >out 2>err && test ! -s out && test ! -s err
'

expect_success 'header names: trimmed, empty -> column_N, duplicates -> _2 with a warning' '
	printf " a ,,a,b\n1,2,3,4\n" | nc-csv >out 2>err &&
	echo "{\"a\":1,\"column_2\":2,\"a_2\":3,\"b\":4}" >want && cmp_files want out &&
	grep -q "stdin:1: duplicate column .a. renamed .a_2." err
'

expect_success '--header supplies the keys; --rename renames them' '
	printf "1,2\n3,4\n" | nc-csv --header x,y --rename y=why >out &&
	printf "{\"x\":1,\"why\":2}\n{\"x\":3,\"why\":4}\n" >want && cmp_files want out
'

expect_code 3 'an invalid -D date is a reject naming the column' '
	printf "d,q\n31/02/2025,1\n01/03/2025,2\n" | nc-csv -D d -r rej >out 2>err' '
	grep -q "\"reason\":\"d: invalid date .31/02/2025.\"" rej &&
	echo "{\"d\":\"2025-03-01\",\"q\":2}" >want && cmp_files want out
'

expect_success 'blank lines between rows are skipped; several files, each with a header' '
	printf "a\n1\n\n  \n2\n" >f1.csv && printf "b;c\n3;4\n" >f2.csv &&
	nc-csv -v f1.csv f2.csv >out 2>err &&
	printf "{\"a\":1}\n{\"a\":2}\n{\"b\":3,\"c\":4}\n" >want && cmp_files want out &&
	grep -q "3 rows in, 3 records out, 0 rejected" err
'

expect_code 1 'a missing file is a failure, the others are read' '
	printf "a\n1\n" >f1.csv && nc-csv nosuch.csv f1.csv >out 2>err' '
	grep -q nosuch.csv err && test "$(cat out)" = "{\"a\":1}"
'

expect_success '| head -n1 is quiet' '
	head_is_quiet nc-csv "$F/requisicoes-head.csv"
'

expect_success '>/dev/full fails with exit 1' '
	full_disk_fails nc-csv "$F/requisicoes-head.csv"
'

expect_success 'the C locale whatever LC_ALL says' '
	LC_ALL=pt_BR.UTF-8 nc-csv "$F/typed.csv" >out &&
	grep -q "\"price\":12.5," out
'

# A NUL byte would come out as "\u0000", which no later stage takes: the
# row is a reject at nc-csv, with its reason.
printf 'a;b\nx;1\ny\000z;2\nw;3\n' >nul.csv
expect_code 3 'a row with a NUL byte is a reject (exit 3 over -m 0)' '
	nc-csv -r rej nul.csv >out 2>err
'
expect_success '... the other rows go out, the reject names the line and why' '
	test "$(jq -r .a out | tr "\n" " ")" = "x w "
	test "$(jq -r "[.line, .reason] | @tsv" rej)" = "$(printf "3\ta NUL byte in the row")"
	if grep -q "u0000" out; then exit 1; fi
'
expect_code 1 'a NUL byte in the header is an error' '
	printf "a\000;b\nx;1\n" | nc-csv >out 2>err
'
expect_success '... saying so' 'grep -q "stdin:1: error: header: a NUL byte in the row" err'

done_testing
