# tests/store-lib.sh: the nc-store tests, run on each backend.
#
#	. "$(dirname "$0")/lib.sh"
#	DB=$TRASH/nc.db             # or a postgresql:// URI
#	. "$TESTS_DIR/store-lib.sh"
#	store_tests
#	done_testing
#
# Every expected result is computed here from the input with jq, sort and
# python3, never by nc-store itself.

F=$FIXTURES/store/silver.ndjson
TAB=$(printf '\t')

# in_shard K N <lines: each line, the JSON string of a series' key values
# joined by 0x1f (a null as ""), hashes (FNV-1a 64) into shard K of N.
in_shard() {
	python3 -c '
import json, sys
k, n = int(sys.argv[1]), int(sys.argv[2])
for line in sys.stdin:
    h = 0xcbf29ce484222325
    for b in json.loads(line).encode():
        h = ((h ^ b) * 0x100000001b3) % 2**64
    if h % n != k - 1:
        sys.exit("wrong shard: " + line)
' "$1" "$2"
}

# sorted_by KEYS... <records: the records ordered by the fields' text, byte
# by byte (C locale), then by "date", nulls ("") first; stable.
sorted_by() {
	_jq=$(for _k in "$@"; do printf '.%s, ' "$_k"; done)
	jq -r "[$_jq .date] | map(if . == null then \"\" else tostring end) | @tsv" |
	paste - "$_in" | LC_ALL=C sort -s -t "$TAB" $(i=1; for _k in "$@" x; do printf -- '-k%d,%d ' $i $i; i=$((i + 1)); done) |
	cut -f $(($# + 2))-
}

# sort_file FILE KEYS...: sorted_by on a file.
sort_file() {
	_in=$1
	shift
	sorted_by "$@" <"$_in"
}

# gen_items N [PREFIX]: N item-day records over 50 items (C locale).
gen_items() {
	LC_ALL=C awk -v n="$1" -v p="${2:-I}" 'BEGIN {
		for (i = 0; i < n; i++)
			printf "{\"item_id\":\"%s%03d\",\"quantity\":%d,\"date\":\"2024-%02d-%02d\",\"note\":\"a\\\\b\"}\n",
			    p, i % 50, i % 7, 1 + int(i / 50) % 12, 1 + int(i / 600) % 28
	}'
}

store_tests() {
	expect_success 'load then dump: records byte for byte, ordered by key then date' '
		nc-store load -d "$DB" -k item_id,site_id,date silver <$F &&
		nc-store dump -d "$DB" silver >out &&
		sort_file $F item_id site_id >want &&
		cmp_files want out
	'

	expect_success 'number text and field order are kept as loaded (400.0 stays 400.0)' '
		grep -c "\"cost\":400.0," $F >a &&
		nc-store dump -d "$DB" silver | grep -c "\"cost\":400.0," >b &&
		cmp_files a b &&
		head -n 1 $F >one && grep -F -x -f one out >/dev/null
	'

	expect_success 'NC_DB selects the database when -d is absent' '
		NC_DB=$DB nc-store dump silver >out2 && cmp_files out out2
	'

	expect_success 'null key values load, sort first and upsert as one key' '
		jq -c "select(.site_id == null)" $F | head -n 3 >nulls &&
		nc-store load -d "$DB" silver <nulls &&
		nc-store dump -d "$DB" silver >out3 && cmp_files out out3 &&
		item=$(jq -r .item_id nulls | head -n 1) &&
		nc-store dump -d "$DB" -w item_id=$item silver | jq -r .site_id >sites &&
		test "$(head -n 1 sites)" = null && test "$(sort -u sites | wc -l)" -gt 1
	'

	expect_success '-w KEY=null selects null key values, as on other fields' '
		grep "\"site_id\":null" out3 >want-null
		test -s want-null
		nc-store dump -d "$DB" -w site_id=null silver >got-null
		cmp_files want-null got-null
	'

	expect_code 2 'key fields that differ only in case are a usage error' '
		nc-store load -d "$DB" -k ID,id casekeys </dev/null 2>err
	'
	expect_success '... saying so, and no dataset is made' '
		grep -q "key fields .ID. and .id. differ only in case" err
		test -z "$(nc-store ls -d "$DB" casekeys 2>/dev/null)"
	'

	expect_success 'a partition is replaced as a whole; a rerun is idempotent' '
		gen_items 100 A >a && gen_items 80 B >b && gen_items 30 C >c &&
		nc-store load -d "$DB" -p 2024-01-01 part <a &&
		nc-store load -d "$DB" -p 2024-01-02 part <b &&
		nc-store load -d "$DB" -p 2024-01-01 part <c &&
		nc-store load -d "$DB" -p 2024-01-01 part <c &&
		nc-store dump -d "$DB" part >got &&
		cat b c >bc && sort_file bc >want && cmp_files want got &&
		nc-store dump -d "$DB" -p 2024-01-01 part >got1 &&
		cat c c >cc && sort_file c >want1 && cmp_files want1 got1
	'

	expect_success 'without keys, records order by date then load order, null dates first' '
		printf "%s\n" "{\"n\":1,\"date\":\"2024-02-01\"}" "{\"n\":2}" \
			"{\"n\":3,\"date\":\"2024-01-01\"}" "{\"n\":4,\"date\":null}" \
			"{\"n\":5,\"date\":\"2024-01-01\"}" >in &&
		nc-store load -d "$DB" nokey <in &&
		nc-store dump -d "$DB" nokey | jq -r .n | tr "\n" " " >got &&
		test "$(cat got)" = "2 4 3 5 1 "
	'

	expect_success '-k upserts: the last record of a key wins, across loads' '
		printf "%s\n" "{\"item_id\":\"X\",\"date\":\"2024-01-01\",\"q\":1}" \
			"{\"item_id\":\"Y\",\"date\":\"2024-01-01\",\"q\":1}" >l1 &&
		printf "%s\n" "{\"item_id\":\"X\",\"date\":\"2024-01-01\",\"q\":2}" \
			"{\"item_id\":\"X\",\"date\":\"2024-01-01\",\"q\":3}" \
			"{\"item_id\":\"X\",\"date\":\"2024-01-02\",\"q\":4}" >l2 &&
		nc-store load -d "$DB" -k item_id,date up <l1 &&
		nc-store load -d "$DB" up <l2 &&
		nc-store dump -d "$DB" up | jq -r "[.item_id, .date, .q] | @tsv" >got &&
		printf "X\t2024-01-01\t3\nX\t2024-01-02\t4\nY\t2024-01-01\t1\n" >want &&
		cmp_files want got
	'

	expect_code 2 'keys that differ from the dataset'"'"'s are an error; nothing changes' '
		nc-store dump -d "$DB" up >before &&
		nc-store load -d "$DB" -k item_id up <l1 2>err' '
		grep -q "keyed by .item_id,date., not .item_id." err
		nc-store dump -d "$DB" up >after
		cmp_files before after
		exits 2 nc-store load -d "$DB" -k date,item_id up <l1 2>/dev/null
		exits 2 nc-store load -d "$DB" -k item_id nokey </dev/null 2>/dev/null
	'

	expect_code 1 'a line that is not JSON fails the whole load, nothing committed' '
		nc-store dump -d "$DB" silver >before &&
		{ head -n 50 $F; echo "{\"item_id\": oops"; tail -n 5 $F; } |
		nc-store load -d "$DB" -p 2030-01-01 silver 2>err' '
		grep -q "^nc-store: stdin:51: invalid JSON" err
		grep -q "nothing loaded" err
		nc-store dump -d "$DB" silver >after
		cmp_files before after
		nc-store ls -d "$DB" silver >ls
		refute grep -q 2030-01-01 ls
	'

	expect_code 1 'a record missing a key field fails the whole load' '
		{ head -n 5 $F; echo "{\"item_id\":\"Z\",\"date\":\"2024-01-01\"}"; } |
		nc-store load -d "$DB" silver 2>err' '
		grep -q "stdin:6: site_id: key field missing" err
		nc-store dump -d "$DB" silver >after
		cmp_files before after
		echo "[1,2]" >arr
		exits 1 nc-store load -d "$DB" silver <arr 2>err2
		grep -q "not a JSON object" err2
	'

	expect_success '-m allows rejects to -r; the rest loads' '
		{ gen_items 20 M; echo "not json"; echo "{\"date\":\"2024-01-01\"}"; } >in &&
		nc-store load -d "$DB" -k item_id,date -m 2 -r rej mrej <in 2>err &&
		test "$(wc -l <rej)" = 2 &&
		jq -r .reason rej >reasons &&
		grep -q "^invalid JSON" reasons && grep -qx "item_id: key field missing" reasons &&
		jq -c "select(.line == 22)" rej | jq -e "._reject.date == \"2024-01-01\"" &&
		nc-store dump -d "$DB" mrej >got && gen_items 20 M >m && sort_file m item_id >want &&
		cmp_files want got &&
		nc-store ls -d "$DB" mrej | jq -c "select(.kind == \"load\")" | jq -e ".rows == 20 and .rejected == 2"
	'

	expect_code 1 'rejects over -m: nothing committed' '
		{ gen_items 5 N; echo x; echo y; } | nc-store load -d "$DB" -m 1 -r rej2 mrej2 2>err' '
		test "$(wc -l <rej2)" = 2
		grep -q "more than -m 1" err
		exits 1 nc-store dump -d "$DB" mrej2 >/dev/null 2>&1
	'

	expect_success 'empty input: a load of 0 records is recorded; dump is empty' '
		nc-store load -d "$DB" -p 2024-01-01 empty </dev/null &&
		printf "\n  \n" | nc-store load -d "$DB" -p 2024-01-02 empty &&
		nc-store dump -d "$DB" empty >got && test ! -s got &&
		nc-store ls -d "$DB" empty | jq -r "select(.kind == \"load\") | .rows" >rows &&
		printf "0\n0\n" >want && cmp_files want rows
	'

	expect_success 'no final newline, CRLF and blank lines' '
		printf "{\"item_id\":\"a\",\"n\":1}\r\n\n{\"item_id\":\"b\",\"n\":2}" |
		nc-store load -d "$DB" -k item_id crlf &&
		nc-store dump -d "$DB" crlf >got &&
		printf "{\"item_id\":\"a\",\"n\":1}\n{\"item_id\":\"b\",\"n\":2}\n" >want &&
		cmp_files want got
	'

	expect_success 'every load is recorded: rows, sha256 of the input, source, extraction time' '
		gen_items 10 S | sed "s/^{/{\"_src\":\"erp\",\"_extracted_at\":\"2026-11-27T05:00:00Z\",/" >in &&
		sed -n 1p in | sed "s/05:00:00Z/06:00:00Z/" >>in &&
		nc-store load -d "$DB" -p 2026-11-26 -k item_id,date meta <in &&
		nc-store ls -d "$DB" meta | jq -c "select(.kind == \"load\")" >load &&
		test "$(jq -r .sha256 load)" = "$(sha256sum <in | cut -c1-64)" &&
		jq -e ".rows == 11 and .rejected == 0 and .source == \"erp\" and
			.extracted_at == \"2026-11-27T06:00:00Z\" and .partition == \"2026-11-26\" and
			.program_version != null and (.loaded_at | test(\"^[0-9-]{10}T[0-9:]{8}Z$\"))" load
	'

	expect_success 'ls lists datasets with keys, rows, partitions and loads' '
		nc-store ls -d "$DB" >ls &&
		jq -c "select(.dataset == \"part\")" ls | jq -e ".kind == \"dataset\" and .rows == 110 and
			.partitions == 2 and .loads == 4 and .keys == []" &&
		jq -c "select(.dataset == \"up\")" ls | jq -e ".keys == [\"item_id\",\"date\"] and .rows == 3" &&
		nc-store ls -d "$DB" part | jq -c "select(.kind == \"partition\") | [.partition, .rows]" >parts &&
		printf "%s\n" "[\"2024-01-01\",30]" "[\"2024-01-02\",80]" >want && cmp_files want parts
	'

	expect_success '--since, --until and -w select records' '
		nc-store dump -d "$DB" --since 2025-03-01 --until 2025-06-30 silver >got &&
		jq -c "select(.date >= \"2025-03-01\" and .date <= \"2025-06-30\")" $F >sel &&
		test -s sel && test "$(wc -l <sel)" = "$(wc -l <got)" &&
		nc-store dump -d "$DB" -w supplier_id=NATALMAQ -w item_id=010000 silver >got2 &&
		test "$(wc -l <got2)" = "$(jq -c "select(.supplier_id == \"NATALMAQ\" and .item_id == \"010000\")" $F | wc -l)" &&
		test -s got2 &&
		nc-store dump -d "$DB" -w quantity=90 silver >got3 &&
		test "$(wc -l <got3)" = "$(jq -c "select(.quantity == 90)" $F | wc -l)" && test -s got3
	'

	expect_success '--shard K/N: the shards split the series, as FNV-1a 64 of the key says' '
		for k in 1 2 3; do nc-store dump -d "$DB" --shard $k/3 silver >s$k || exit 1; done &&
		cat s1 s2 s3 >all && sort_file all item_id site_id >merged &&
		nc-store dump -d "$DB" silver >whole && cmp_files whole merged &&
		test -s s1 && test -s s2 && test -s s3 &&
		for k in 1 2 3; do
			jq -r "[.item_id, (.site_id // \"\")] | join(\"\u001f\") | @json" s$k |
				in_shard $k 3 || exit 1
		done
	'

	expect_success 'dump streams into nc-transform --sorted' '
		nc-store dump -d "$DB" silver >d &&
		nc-transform --sorted -k item_id,site_id --now 2026-01-01T00:00:00Z <d >t1 &&
		nc-transform -k item_id,site_id --now 2026-01-01T00:00:00Z <d >t2 &&
		test -s t1 && cmp_files t2 t1
	'

	expect_success 'two loads at once are serialized: both commit, no "locked" errors' '
		gen_items 20000 P >p1
		gen_items 20000 Q >p2
		nc-store load -d "$DB" -p one conc <p1 2>e1 & a=$!
		nc-store load -d "$DB" -p two conc <p2 2>e2 & b=$!
		sa=0; wait $a || sa=$?; sb=0; wait $b || sb=$?
		cat e1 e2 && test $sa = 0 && test $sb = 0 && test ! -s e1 && test ! -s e2 &&
		nc-store ls -d "$DB" conc | jq -c "select(.kind == \"partition\") | [.partition, .rows]" >parts &&
		printf "%s\n" "[\"one\",20000]" "[\"two\",20000]" >want && cmp_files want parts
	'

	expect_success 'a load killed by SIGKILL halfway leaves the partition as it was' '
		nc-store dump -d "$DB" conc >before
		rm -f fifo
		mkfifo fifo
		{ gen_items 5000 K; exec sleep 30; } >fifo & g=$!
		nc-store load -d "$DB" -p one conc <fifo & l=$!
		sleep 1
		kill -9 $l
		st=0; wait $l || st=$?; kill $g; wait $g || true
		test $st = 137 &&
		nc-store dump -d "$DB" conc >after && cmp_files before after &&
		gen_items 10 R | nc-store load -d "$DB" -p one conc &&
		nc-store dump -d "$DB" -p one conc >one && test "$(wc -l <one)" = 10
	'

	expect_success 'dump under | head is quiet' '
		head_is_quiet nc-store dump -d "$DB" silver
	'

	expect_success 'dump and ls to a full disk fail with "write error"' '
		full_disk_fails nc-store dump -d "$DB" silver &&
		full_disk_fails nc-store ls -d "$DB"
	'

	expect_code 1 'dump of a dataset that does not exist' '
		nc-store dump -d "$DB" nosuch 2>err' '
		grep -q "no dataset .nosuch." err
	'

	expect_success 'usage errors exit 2 with the usage' '
		for args in "load" "dump" "ls -x" "frob" "dump -d x --shard 0/2 silver" \
			"dump -d x --shard 3/2 silver" "dump -d x --since 2024-13-01 silver" \
			"load -d x -k a,a ds" "load -d x -k _a ds" "load -d x Bad" "load -d x nc_x" \
			"load -d x -m -1 ds" "dump -d x -w nofield silver" "load -d x -k Date ds" \
			"load -d x -k RECORD ds" "load -d x -k item,Item ds"; do
			st=0; nc-store $args </dev/null 2>err || st=$?
			test $st = 2 || { echo "$args: exit $st"; exit 1; }
		done
		exits 2 nc-store frob 2>err
		grep -q "^usage: nc-store load" err
		exits 2 env -u NC_DB nc-store dump silver 2>err
		grep -q "give -d or set NC_DB" err
	'

	expect_success '--shard on a dataset without series keys is a usage error' '
		st=0; nc-store dump -d "$DB" --shard 1/2 nokey 2>err || st=$?
		test $st = 2 && grep -q "no key fields other than date" err
	'
}
