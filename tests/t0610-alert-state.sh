#!/bin/sh
# nc-alert --state: de-duplication, escalation, renotify and resolution
# across runs; the state file is replaced atomically.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/alert-lib.sh"

day() { echo "--now=2026-11-$1T06:00:00Z"; }
levels() { jq -sr 'map("\(.item_id):\(.level)") | join(" ")' "$1"; }

expect_success 'first run: every AMARELO and VERMELHO is new and emitted' '
	{ rec A 110 100; rec B 50 100; rec C 500 100; } >run1 &&
	nc-alert --state st $(day 20) run1 >out &&
	test "$(levels out)" = "A:AMARELO B:VERMELHO" &&
	jq -e ".alerts | keys == [\"A\", \"B\"] and .A.sent_at == \"2026-11-20T06:00:00Z\"" st
'

expect_success 'the same levels the next day: nothing emitted' '
	nc-alert --state st $(day 21) run1 >out && test ! -s out
'

expect_success 'an escalation (AMARELO to VERMELHO) is emitted, with a new alert_id' '
	{ rec A 70 100; rec B 50 100; rec C 500 100; } >run2 &&
	nc-alert --state st $(day 22) run2 >out &&
	test "$(levels out)" = "A:VERMELHO" &&
	jq -e ".alert_id == \"A|VERMELHO|2026-11-22\"" out
'

expect_success 'still open after --renotify days: emitted again, same alert_id' '
	nc-alert --state st --renotify 7 $(day 26) run2 >out && test ! -s out &&
	nc-alert --state st --renotify 7 $(day 27) run2 >out &&
	test "$(levels out)" = "B:VERMELHO" && jq -e ".alert_id == \"B|VERMELHO|2026-11-20\"" out
'

expect_success 'a de-escalation is quiet, and a new escalation is emitted' '
	{ rec A 70 100; rec B 100 100; } | nc-alert --state st $(day 28) >out && test ! -s out &&
	jq -e ".alerts.B.level == \"AMARELO\"" st &&
	{ rec A 70 100; rec B 60 100; } | nc-alert --state st $(day 28) >out &&
	test "$(levels out)" = "B:VERMELHO"
'

expect_success 'back to VERDE resolves it; a later AMARELO is new' '
	rec A 200 100 | nc-alert --state st $(day 29) >out && test ! -s out &&
	jq -e ".alerts | has(\"A\") | not" st &&
	rec A 110 100 | nc-alert --state st $(day 29) >out && test "$(levels out)" = "A:AMARELO"
'

expect_success 'items absent from a run keep their state (a shard of the items)' '
	jq -e ".alerts | has(\"B\")" st
'

# Keys: a string as it is, with "\" and "|" escaped by a "\"; a null is \N.
expect_success '-k item_id,site_id: a null site is a series of its own, in the state file too' '
	{ rec A 50 100 | jq -c ".site_id = null"; rec A 50 100 | jq -c ".site_id = \"S1\""
	  rec A 110 100 | jq -c ".site_id = \"\\\\N\""; rec "A|B" 50 100 | jq -c ".site_id = null"; } >sites
	nc-alert -k item_id,site_id --state sk $(day 20) sites >out
	jq -r "[.item_id, .site_id // \"(null)\", .level, .alert_id] | join(\" \")" out >got
	cat >want <<-\EOF
	A (null) VERMELHO A|\N|VERMELHO|2026-11-20
	A S1 VERMELHO A|S1|VERMELHO|2026-11-20
	A \N AMARELO A|\\N|AMARELO|2026-11-20
	A|B (null) VERMELHO A\|B|\N|VERMELHO|2026-11-20
	EOF
	cmp_files want got
	jq -r ".alerts | keys[]" sk >got
	cat >want <<-\EOF
	A\|B|\N
	A|S1
	A|\N
	A|\\N
	EOF
	cmp_files want got &&
	nc-alert -k item_id,site_id --state sk $(day 21) sites >out && test ! -s out &&
	rec A 500 100 | jq -c ".site_id = null" | nc-alert -k item_id,site_id --state sk $(day 22) >out &&
	test ! -s out && jq -r ".alerts | keys[]" sk >got && grep -vx "A|\\\\N" want >want2 &&
	cmp_files want2 got
'

expect_success '--all ignores the state: everything out, state untouched' '
	cp st before &&
	{ rec A 110 100; rec B 60 100; rec C 500 100; } | nc-alert --all --state st $(day 29) >out &&
	test "$(levels out)" = "A:AMARELO B:VERMELHO C:VERDE" && cmp_files before st
'

expect_success 'the state file is replaced by rename: no temporary file is left' '
	mkdir d && rec A 50 100 | nc-alert --state d/st $(day 20) >/dev/null &&
	test "$(ls -A d)" = st && jq -e ".version == 1" d/st
'

expect_success 'a state file written while stdout failed is not updated' '
	rm -f st2
	rec A 50 100 >one
	st=0; nc-alert --state st2 $(day 20) one >/dev/full 2>err || st=$?
	test $st = 1 && test ! -e st2
'

expect_code 1 'a corrupt state file is an error' '
	echo "not json" >bad && rec A 50 100 | nc-alert --state bad $(day 20)
'

expect_code 4 '-e with a state: 4 when something new' '
	rm -f st3 && rec A 50 100 | nc-alert -e --state st3 $(day 20) >/dev/null
'
expect_code 0 '-e with a state: 0 when already sent' '
	rec A 50 100 | nc-alert -e --state st3 $(day 20) >/dev/null
'

done_testing
