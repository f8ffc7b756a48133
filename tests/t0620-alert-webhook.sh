#!/bin/sh
# nc-alert --webhook: delivery to a local receiver that fails, then
# succeeds; an undelivered alert is not marked sent and goes again.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/alert-lib.sh"
NOW=--now=2026-11-27T06:00:00Z
trap 'webhook_stop; rm -rf "$TRASH"' EXIT

expect_success 'a 503 is retried; the alert arrives as JSON' '
	webhook_start 1
	st=0; rec A 50 100 | nc-alert $NOW --webhook "$URL" >out 2>err || st=$?
	webhook_stop
	test $st = 0 && test $(wc -l <posts) = 2 &&
	test "$(cut -d" " -f1 posts | tr "\n" " ")" = "503 200 " &&
	tail -n 1 posts | cut -d" " -f3- >body && cmp_files out body &&
	grep -q "^200 application/json " posts
'

expect_success 'NC_WEBHOOK_URL works as --webhook; --format slack posts {"text": ...}' '
	webhook_start 0
	st=0; rec A 50 100 | NC_WEBHOOK_URL=$URL nc-alert $NOW --format slack >out || st=$?
	webhook_stop
	test $st = 0 && cut -d" " -f3- posts | jq -e ".text | startswith(\"VERMELHO\")"
'

expect_success 'a failed delivery: exit 1, not marked sent; the next run sends it' '
	webhook_start 100
	st=0; { rec A 50 100; } | nc-alert $NOW --retries 1 --state st --webhook "$URL" >out 2>err || st=$?
	webhook_stop
	test $st = 1
	grep -q "not delivered: HTTP 503" err
	jq -e ".alerts.A.sent_at == null" st
	webhook_start 0
	st=0; rec A 50 100 | nc-alert $NOW --state st --webhook "$URL" >out || st=$?
	webhook_stop
	test $st = 0 && test $(wc -l <posts) = 1 && jq -e ".alerts.A.sent_at != null" st &&
	rec A 50 100 | nc-alert $NOW --state st >out && test ! -s out
'

expect_success 'the token in the webhook path never reaches the messages' '
	webhook_start 100
	st=0; rec A 50 100 | nc-alert -v $NOW --retries 1 --webhook "$URL/T0/B0/s3cr3tT0k3n" >out 2>err || st=$?
	webhook_stop
	test $st = 1 && test $(wc -l <posts) = 2 && grep -q "retry 1 of 1" err &&
	grep -q "not delivered: HTTP 503 from http://127.0.0.1:[0-9]*\*\*\* after 2 attempts: no" err &&
	refute grep -q s3cr3t err
'

expect_success '--max-time bounds the retries of one alert' '
	webhook_start 100
	st=0; rec A 50 100 | nc-alert $NOW --retries 10 --max-time 2 --webhook "$URL" >out 2>err || st=$?
	webhook_stop
	test $st = 1 && test $(wc -l <posts) = 2 && grep -q "gave up: a wait of 2000 ms" err
'

expect_success '--delivery-time bounds the whole run: each later alert gets what is left, and stays unsent' '
	webhook_start 100
	st=0
	for i in 1 2 3 4 5; do rec "A$i" 50 100; done |
	    nc-alert $NOW --retries 10 --max-time 60 --delivery-time 2 --state run.st \
	    --webhook "$URL" >out 2>err || st=$?
	webhook_stop
	test $st = 1
	test $(wc -l <out) = 5
	test $(grep -c "not delivered" err) = 5
	sed -n "s/.*total time bound of \([0-9]*\) ms.*/\1/p; s/.*--delivery-time of 2 s \(ran out\)/0/p" err >bounds
	test $(wc -l <bounds) = 5
	test "$(head -n 1 bounds)" -le 2000
	LC_ALL=C awk "NR == 1 { f = \$1 } NR > 1 && \$1 >= f { bad++ } END { exit bad > 0 }" bounds
	test $(jq "[.alerts[] | select(.sent_at == null)] | length" run.st) = 5
'

expect_code 2 'a bad --delivery-time is a usage error' 'nc-alert --delivery-time 0 </dev/null'

expect_code 2 'a bad --timeout is a usage error' 'nc-alert --timeout 0 </dev/null'

expect_code 1 'a receiver that is not there: exit 1 after the retries' '
	webhook_start 0 && webhook_stop &&
	rec A 50 100 | nc-alert $NOW --retries 0 --webhook "$URL" >out 2>err
'

done_testing
