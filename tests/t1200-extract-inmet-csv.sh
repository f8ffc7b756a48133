#!/bin/sh
# nc-extract-inmet: INMET's bulk hourly CSV files to daily weather records.
. "$(dirname "$0")/lib.sh"
F=$FIXTURES/inmet
S24=$F/salvador-2024-hourly.inmet-layout.CSV
S25=$F/salvador-2025-hourly.inmet-layout.CSV

# day_check FILE DAY OUT: the day's record in OUT against the same figures
# computed by awk from the hourly rows (local date = UTC - 3 h).
day_check() {
	LC_ALL=C awk -F';' -v day="$2" '
	function num(s) { gsub(",", ".", s); return s + 0 }
	# Days since 1970-01-01 of a civil date (plain POSIX awk, no mktime).
	function dn(y, m, d) { if (m <= 2) { y--; m += 12 }
		return 365 * y + int(y / 4) - int(y / 100) + int(y / 400) + int((153 * (m - 3) + 2) / 5) + d - 719469 }
	BEGIN { split(day, t, "-"); target = dn(t[1] + 0, t[2] + 0, t[3] + 0) }
	NR > 9 {
		split($1, d, "/"); h = substr($2, 1, 2) + 0
		# The local date of the row: the UTC day, or the day before before 03 UTC.
		if (dn(d[1] + 0, d[2] + 0, d[3] + 0) - (h < 3) != target) next
		n++; p += num($3); tm += num($8); hu += num($16); w += num($19)
		if (n == 1 || num($8) > mx) mx = num($8)
		if (n == 1 || num($8) < mn) mn = num($8)
	}
	END { printf "%d %.4f %.4f %.4f %.4f %.4f %.4f\n", n, p, mx, mn, tm / n, hu / n, w / n }
	' "$1" >want.fig
	LC_ALL=C grep "\"date\":\"$2\"" "$3" | LC_ALL=C sed -e 's/[{}"]//g' -e 's/,/\n/g' |
	LC_ALL=C awk -F: '{ v[$1] = $2 } END { printf "%d %s %s %s %s %s %s\n", v["hours"],
		v["precip_mm"], v["temp_max_c"], v["temp_min_c"], v["temp_mean_c"], v["humidity_pct"], v["wind_ms"] }' >got.fig
	LC_ALL=C awk 'NR == FNR { for (i = 1; i <= NF; i++) w[i] = $i; next }
	{ for (i = 1; i <= NF; i++) { d = $i - w[i]; if (d < 0) d = -d; if (d > 0.006) { print "field " i ": got " $i ", want " w[i]; bad = 1 } } }
	END { exit bad }' want.fig got.fig
}

expect_success 'Salvador 2024 + 2025: one record per local day, in order' '
	nc-extract-inmet "$S24" "$S25" >out 2>err &&
	test ! -s err &&
	test "$(wc -l <out)" = 682 &&
	head -n 1 out | grep -q "^{\"station\":\"A401\",\"date\":\"2023-12-31\",\"precip_mm\":null," &&
	tail -n 1 out | grep -q "\"date\":\"2025-11-11\"" &&
	cut -d, -f2 out >dates && LC_ALL=C sort -c -u dates
'

expect_success 'the first local day has 3 hours: nulls, not a made-up value' '
	nc-extract-inmet "$S24" >out &&
	head -n 1 out >first &&
	echo "{\"station\":\"A401\",\"date\":\"2023-12-31\",\"precip_mm\":null,\"temp_max_c\":null,\"temp_min_c\":null,\"temp_mean_c\":null,\"humidity_pct\":null,\"wind_ms\":null,\"hours\":3,\"station_name\":\"SALVADOR\",\"latitude\":-12.970122,\"longitude\":-38.45456}" >want &&
	cmp_files want first
'

expect_success 'a day matches awk over its hourly rows (sum, max, min, means)' '
	nc-extract-inmet "$S24" >out &&
	day_check "$S24" 2024-01-02 out &&
	day_check "$S24" 2024-03-15 out &&
	day_check "$S24" 2024-07-31 out
'

expect_success 'the year-end day is whole only with both files (files are aggregated together)' '
	nc-extract-inmet "$S24" >one &&
	grep "\"date\":\"2024-12-31\"" one | grep -q "\"hours\":21" &&
	nc-extract-inmet "$S24" "$S25" >both &&
	grep "\"date\":\"2024-12-31\"" both | grep -q "\"hours\":24" &&
	cat "$S24" >concat && tail -n +10 "$S25" >>concat &&
	day_check concat 2024-12-31 both
'

expect_success '--min-hours 24: the 21-hour last day gets nulls; stdin works' '
	nc-extract-inmet --min-hours 24 <"$S25" >out &&
	tail -n 1 out | grep -q "\"date\":\"2025-11-11\",\"precip_mm\":null,.*\"hours\":21," &&
	nc-extract-inmet <"$S25" >out2 &&
	tail -n 1 out2 | grep -q "\"date\":\"2025-11-11\",\"precip_mm\":6.7,"
'

expect_success 'real INMET file: max/min from the previous-hour columns, ,8 read as 0.8' '
	nc-extract-inmet "$F/INMET_CO_DF_A001_BRASILIA_2026_head57.CSV" >out &&
	test "$(wc -l <out)" = 3 &&
	grep "\"date\":\"2026-01-01\"" out >day &&
	grep -q "\"station\":\"A001\"" day && grep -q "\"station_name\":\"BRASILIA\"" day &&
	want=$(LC_ALL=C awk -F";" "NR > 9 && ((\$1 == \"2026/01/01\" && \$2 >= \"0300\") || (\$1 == \"2026/01/02\" && \$2 < \"0300\")) { gsub(\",\", \".\", \$10); if (\$10 + 0 > m) m = \$10 + 0 } END { print m }" "$F/INMET_CO_DF_A001_BRASILIA_2026_head57.CSV") &&
	grep -q "\"temp_max_c\":$want," day
'

expect_success 'the 2018 layout: YYYY-MM-DD;HH:MM, -9999 missing, CRLF, ESTAÇÃO key' '
	nc-extract-inmet "$F/salvador-2018-oldlayout.CSV" >out 2>err &&
	test ! -s err &&
	test "$(wc -l <out)" = 4 &&
	sed -n 2p out | grep -q "^{\"station\":\"A401\",\"date\":\"2018-01-01\",\"precip_mm\":1.2,\"temp_max_c\":29.2,\"temp_min_c\":24.6,\"temp_mean_c\":26.69,\"humidity_pct\":78.63,\"wind_ms\":3.71,\"hours\":24,\"station_name\":\"SALVADOR\"" &&
	nc-extract-inmet "$S24" | sed -n 2p | grep -q "\"precip_mm\":1.2,\"temp_max_c\":29.2,\"temp_min_c\":24.6,\"temp_mean_c\":26.69,\"humidity_pct\":78.63,\"wind_ms\":3.71,\"hours\":24"
'

expect_code 3 'broken rows: each a reject with its reason, the rest aggregated' '
	nc-extract-inmet -r rej "$F/salvador-broken.CSV" >out 2>err' '
	test "$(wc -l <rej)" = 8 &&
	grep -q "\"reason\":\"expected 20 fields, got 19\",\"tool\":\"nc-extract-inmet\",\"input\":\"[^\"]*salvador-broken.CSV\",\"line\":15}" rej &&
	grep -q "expected 20 fields, got 21\".*\"line\":16}" rej &&
	grep -q "precip_mm: not a number: .abc.\".*\"line\":17}" rej &&
	grep -q "negative precipitation: .-1,5." rej &&
	grep -q "humidity outside 0..100 %: .104." rej &&
	grep -q "temperature outside -30..60 C: .61,2." rej &&
	grep -q "Data: not a date: .2024/13/01." rej &&
	grep -q "a second row for the same hour\".*\"line\":58}" rej &&
	grep -q "8 records rejected" err &&
	grep "\"date\":\"2024-01-01\"" out | grep -q "\"hours\":17,"
'

expect_success 'broken rows within -m: exit 0' '
	nc-extract-inmet -m 8 "$F/salvador-broken.CSV" >out 2>err &&
	test "$(wc -l <out)" = 3
'

expect_code 1 'binary garbage: not an INMET file, an error, nothing written' '
	nc-extract-inmet "$F/garbage.bin" >out 2>err' '
	test ! -s out && grep -q "error: .*garbage.bin" err
'

expect_code 1 'a good file and a garbage one: nothing written' '
	nc-extract-inmet "$S24" "$F/garbage.bin" >out 2>err' '
	test ! -s out
'

expect_code 1 'a missing file is a failure' 'nc-extract-inmet no-such.CSV >out 2>err'

# An INMET file always has its header: an empty one is a failed download
# or the wrong file, not a station without data.
expect_code 1 'empty input is an error' '
	nc-extract-inmet </dev/null >out 2>err
'
expect_success '... saying so, with no records' '
	test ! -s out
	grep -q "^nc-extract-inmet: error: stdin: empty: no INMET header line$" err
'
: >empty.CSV
expect_code 1 'an empty file among good ones is an error, and no records go out' '
	nc-extract-inmet "$S24" empty.CSV >out 2>err
'
expect_success '... naming the file' '
	test ! -s out
	grep -q "error: empty.CSV: empty: no INMET header line" err
'

# Memory follows the rows, not the span of their dates: rows dated
# 0001/01/01 and 9999/12/31 are two days (a slot per day between them
# was 3.65 million slots, 345 MB).
maxrss_kb() {
	python3 -c 'import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=open("span.out", "w"), check=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$@"
}
{ head -n 9 "$F/INMET_CO_DF_A001_BRASILIA_2026_head57.CSV"
  sed -n 10p "$F/INMET_CO_DF_A001_BRASILIA_2026_head57.CSV" | sed "s#^2026/01/01#0001/01/01#"
  sed -n 11p "$F/INMET_CO_DF_A001_BRASILIA_2026_head57.CSV" | sed "s#^2026/01/01#9999/12/31#"
} >span.CSV
expect_success 'rows 10,000 years apart: two records, in date order, in little memory' '
	kb=$(maxrss_kb nc-extract-inmet --min-hours 1 span.CSV)
	echo "max RSS $kb KB"
	test "$kb" -lt 65536
	test "$(jq -r .date span.out | tr "\n" " ")" = "0000-12-31 9999-12-30 "
'

expect_success 'a header without data: no records' '
	head -n 9 "$S24" | nc-extract-inmet >out && test ! -s out
'

expect_success 'head is quiet, a full disk fails' '
	head_is_quiet nc-extract-inmet "$S24" &&
	full_disk_fails nc-extract-inmet "$S24"
'

expect_code 2 'bad flag' 'nc-extract-inmet --bogus'
expect_code 2 '--min-hours out of range' 'nc-extract-inmet --min-hours 25 </dev/null'
expect_code 2 '--since without --station' 'nc-extract-inmet --since 2024-01-01 </dev/null'
expect_code 2 '--station with files' 'nc-extract-inmet --station A401 --since 2024-01-01 x.CSV'
expect_code 2 '--station without --since' 'nc-extract-inmet --station A401'
expect_code 2 'a bad station code' 'nc-extract-inmet --station "A4/../x" --since 2024-01-01'
expect_success '-h and -V' 'nc-extract-inmet -h | grep -q "^usage: nc-extract-inmet" && nc-extract-inmet -V | grep -q "nc-extract-inmet (nc)"'

done_testing
