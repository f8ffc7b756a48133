#!/bin/sh
# nc-features: holidays of Brazil, Bahia and Salvador, against published
# dates for 2024-2026.
#
# Facts (published calendars):
# - Easter-based dates, as in the federal government's yearly ordinance of
#   holidays and optional days (Ministerio da Gestao e da Inovacao em
#   Servicos Publicos; Carnival and Corpus Christi are "pontos
#   facultativos" there, holidays in Salvador's calendar) and in every
#   Brazilian calendar for those years: Carnival 2024-02-12/13,
#   2025-03-03/04, 2026-02-16/17; Good Friday 2024-03-29, 2025-04-18,
#   2026-04-03; Corpus Christi 2024-05-30, 2025-06-19, 2026-06-04.
# - Consciencia Negra, 20 November, national from 2024 (Lei 14.759/2023).
# - Bahia: 2 July (Independencia da Bahia).  Salvador: 24 June (Sao Joao)
#   and 8 December (Nossa Senhora da Conceicao da Praia), municipal.
# Sources are listed in nc-features(1), HOLIDAYS.
. "$(dirname "$0")/lib.sh"

# days FILE: one item-day record per line of dates in FILE.
days() {
	while read -r d; do
		printf '{"item_id":"H","quantity":1,"date":"%s"}\n' "$d"
	done <"$1"
}

cat >national <<'D'
2024-01-01
2024-02-12
2024-02-13
2024-03-29
2024-04-21
2024-05-01
2024-05-30
2024-09-07
2024-10-12
2024-11-02
2024-11-15
2024-11-20
2024-12-25
2025-03-03
2025-03-04
2025-04-18
2025-06-19
2025-11-20
2026-02-16
2026-02-17
2026-04-03
2026-06-04
D
cat >bahia <<'D'
2024-07-02
2025-07-02
2026-07-02
D
cat >salvador <<'D'
2024-06-24
2024-12-08
2025-06-24
2025-12-08
2026-06-24
2026-12-08
D
cat >workdays <<'D'
2024-02-14
2024-03-31
2024-06-25
2025-03-05
2025-04-20
2026-04-05
2023-11-20
D

expect_success 'national holidays 2024-2026 are holidays in every calendar' '
	days national >in
	for h in national bahia salvador; do
		nc-features --no-fill --holidays $h in >out
		test "$(jq -r "select(.is_holiday != 1) | .date" out)" = ""
		test -z "$(jq -c "select(.days_to_holiday != 0)" out)"
	done
'

expect_success '2 July only in the Bahia and Salvador calendars' '
	days bahia >in &&
	nc-features --no-fill --holidays national in >n &&
	nc-features --no-fill --holidays bahia in >b &&
	nc-features --no-fill in >s &&
	for f in n b s; do jq -s -c "map(.is_holiday) | unique" $f; done >u &&
	test "$(tr -d "\n" <u)" = "[0][1][1]"
'

expect_success 'Sao Joao and Conceicao da Praia only in Salvador (the default)' '
	days salvador >in &&
	nc-features --no-fill --holidays bahia in >b &&
	nc-features --no-fill --holidays salvador in >s &&
	for f in b s; do jq -s -c "map(.is_holiday) | unique" $f; done >u &&
	test "$(tr -d "\n" <u)" = "[0][1]"
'

expect_success 'Ash Wednesday, Easter Sunday, 25 June and 20 Nov 2023 are not holidays' '
	days workdays >in &&
	nc-features --no-fill in >out &&
	test "$(jq -s "map(.is_holiday) | unique" out | tr -d " \n")" = "[0]"
'

expect_success 'days_to_holiday counts to the next one' '
	days workdays >in &&
	nc-features --no-fill in >out &&
	test "$(jq -r "select(.date == \"2024-06-25\") | .days_to_holiday" out)" = 7 &&
	test "$(jq -r "select(.date == \"2024-02-14\") | .days_to_holiday" out)" = 44 &&
	test "$(jq -r "select(.date == \"2023-11-20\") | .days_to_holiday" out)" = 18
'

expect_success '--holidays-file adds company dates' '
	printf "# inventory days\n2025-03-05 balanco\n\n2024-06-25\n" >company &&
	days workdays >in &&
	nc-features --no-fill --holidays-file company in >out &&
	test "$(jq -r "select(.is_holiday == 1) | .date" out | sort | tr "\n" " ")" = "2024-06-25 2025-03-05 "
'

# Every day of 2024-2027 against the list written out by hand, with its
# sources, in fixtures/features/holidays-2024-2027.txt: a holiday missed,
# one on the wrong day, or a working day taken for one, fails.
CAL=$FIXTURES/features/holidays-2024-2027.txt
seq 0 1460 | sed "s/.*/2024-01-01 + & days/" | date -f - +%F >alldays
expect_success 'the calendar has every day of 2024-2027, and the list 64 holidays' '
	test "$(wc -l <alldays)" = 1461
	test "$(sed -n "1p;\$p" alldays | tr "\n" " ")" = "2024-01-01 2027-12-31 "
	test "$(grep -vc "^#" "$CAL")" = 64
'
for cal in national bahia salvador; do
	case $cal in
	national) scopes=national ;;
	bahia) scopes="national|bahia" ;;
	salvador) scopes="national|bahia|salvador" ;;
	esac
	expect_success "is_holiday 2024-2027, --holidays $cal, is the list by hand" '
		days alldays >in
		nc-features --no-fill --holidays '"$cal"' in >out
		jq -r "select(.is_holiday == 1) | .date" out >got
		test "$(wc -l <out)" = 1461
		grep -E "^[0-9-]+ ('"$scopes"') " "$CAL" | cut -d" " -f1 >want
		cmp_files want got
	'
done

expect_code 1 'a bad date in --holidays-file is an error' '
	printf "2025-02-30\n" >bad && nc-features --holidays-file bad </dev/null
'
expect_code 2 'an unknown --holidays calendar is a usage error' '
	nc-features --holidays recife </dev/null
'

done_testing
