#!/bin/sh
# nc-csv --to-csv: NDJSON records to CSV, and round trips.
. "$(dirname "$0")/lib.sh"
F=$FIXTURES/csv
X=$EXPECTED/csv

expect_success 'round trip: the ERP export comes back byte for byte' '
	nc-csv "$F/requisicoes-head.csv" >mid &&
	nc-csv --to-csv mid >out &&
	cmp_files "$F/requisicoes-head.csv" out
'

expect_success 'round trip: quoting with newline, delimiter, quotes, spaces' '
	printf "id,text,note\n1,\"line one\nline two\",\"a, b\"\n2,\"say \"\"hi\"\"\",\" padded \"\n" >q.csv &&
	nc-csv q.csv >mid && nc-csv --to-csv mid >out &&
	cmp_files q.csv out
'

expect_success 'round trip of the INMET file: same values, CSV in C-locale numbers' '
	nc-csv --skip 8 --decimal-comma "$F/INMET_CO_DF_A001_BRASILIA_2026_head57.CSV" >mid &&
	nc-csv --to-csv mid >csv && nc-csv csv >back &&
	cmp_files mid back &&
	sed -n 2p csv | grep -q "^2026/01/01,0000 UTC,0,887.7,887.7,887.2,,19.9,"
'

expect_success 'values: null, booleans, nested JSON, shortest reals, integers' '
	echo "{\"a\":0.1,\"b\":[1,{\"c\":\"x\"}],\"c\":true,\"d\":null,\"e\":1e20,\"f\":false,\"g\":-7,\"h\":2.50}" >in &&
	nc-csv --to-csv in >out &&
	printf "a,b,c,d,e,f,g,h\n0.1,\"[1,{\"\"c\"\":\"\"x\"\"}]\",true,,1e+20,false,-7,2.5\n" >want &&
	cmp_files want out
'

expect_success '-f picks and orders the fields; a missing key is an empty cell' '
	printf "{\"a\":1,\"b\":2,\"c\":3}\n{\"a\":4}\n" >in &&
	nc-csv --to-csv -f c,a,z in >out &&
	printf "c,a,z\n3,1,\n,4,\n" >want && cmp_files want out
'

expect_code 3 'a key not in the first record is a reject (data would be lost)' '
	printf "{\"a\":1}\n{\"a\":2,\"x\":9}\n{\"a\":3}\n" >in &&
	nc-csv --to-csv -r rej in >out 2>err' '
	printf "a\n1\n3\n" >want && cmp_files want out &&
	echo "{\"_reject\":{\"a\":2,\"x\":9},\"reason\":\"x: not in the header\",\"tool\":\"nc-csv\",\"input\":\"in\",\"line\":2}" >want &&
	cmp_files want rej
'

expect_success 'with -f, other keys are left out without a reject' '
	printf "{\"a\":1}\n{\"a\":2,\"x\":9}\n" | nc-csv --to-csv -f a >out 2>err &&
	printf "a\n1\n2\n" >want && cmp_files want out && test ! -s err
'

expect_code 3 'a line that is not a JSON object is a reject with its line number' '
	printf "{\"a\":1}\n[1,2]\n{\"a\":2}\n" | nc-csv --to-csv 2>err >out' '
	grep -q "stdin:2: not a JSON object" err &&
	printf "a\n1\n2\n" >want && cmp_files want out
'

expect_success '--excel: BOM, ; delimiter, decimal comma, CRLF' '
	printf "{\"item\":\"Cabo; 10mm\",\"valor\":1234.5,\"qtd\":3,\"obs\":\"ok\"}\n" >in &&
	nc-csv --to-csv --excel in >out &&
	printf "\357\273\277item;valor;qtd;obs\r\n\"Cabo; 10mm\";1234,5;3;ok\r\n" >want &&
	cmp_files want out
'

expect_success '--excel output reads back (BOM, ;, decimal comma)' '
	printf "{\"item\":\"Conex\303\243o\",\"valor\":1234.5,\"qtd\":3}\n" >in &&
	nc-csv --to-csv --excel in >x.csv && nc-csv --decimal-comma x.csv >out &&
	cmp_files in out
'

expect_success '--decimal-comma with the , delimiter quotes the reals; -F tab' '
	echo "{\"a\":1.5,\"b\":2}" | nc-csv --to-csv --decimal-comma >out &&
	printf "a,b\n\"1,5\",2\n" >want && cmp_files want out &&
	echo "{\"a\":\"x y\",\"b\":2}" | nc-csv --to-csv -F tab >out &&
	printf "a\tb\nx y\t2\n" >want && cmp_files want out
'

expect_success 'empty input: no output; with -f, the header alone' '
	: | nc-csv --to-csv >out && test ! -s out &&
	: | nc-csv --to-csv -f a,b >out && printf "a,b\n" >want && cmp_files want out
'

expect_success '-v summary' '
	printf "{\"a\":1}\n{\"a\":2}\n" | nc-csv --to-csv -v >out 2>err &&
	grep -q "2 records in, 2 rows out, 0 rejected" err
'

expect_success '| head -n1 is quiet' '
	nc-csv "$F/requisicoes-head.csv" >in &&
	head_is_quiet nc-csv --to-csv in
'

expect_success '>/dev/full fails with exit 1' '
	nc-csv "$F/requisicoes-head.csv" >in &&
	full_disk_fails nc-csv --to-csv in
'

done_testing
