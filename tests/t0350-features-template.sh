#!/bin/sh
# nc-features: a record comes out as it came in, whatever the way it was
# written.  A compact line without escapes is copied whole (its bytes are
# the record's); any other line is rebuilt field by field.  Both must give
# the same bytes, with the date and the target in their places.
. "$(dirname "$0")/lib.sh"

# Two days of item A in one ISO week (Monday 3 June 2024, Wednesday 5),
# the target before and after the date, written four ways.
compact() {
	printf '%s\n' \
	    '{"item_id":"A","name":"Peca A","quantity":4,"date":"2024-06-03","ok":true,"n":null,"x":-1.5e3}' \
	    '{"date":"2024-06-05","item_id":"A","name":"Peca A","quantity":2.5,"ok":false}'
}
blanks() {
	printf '%s\n' \
	    '{ "item_id" : "A", "name": "Peca A", "quantity": 4, "date": "2024-06-03", "ok": true, "n": null, "x": -1.5e3 }' \
	    '{"date":"2024-06-05", "item_id":"A","name":"Peca A","quantity":2.5,"ok":false}'
}
escapes() {
	printf '%s\n' \
	    '{"item_id":"\u0041","name":"Peca A","quantity":4,"date":"2024-06-03","ok":true,"n":null,"x":-1.5e3}' \
	    '{"date":"2024-06-05","item_id":"A","name":"Peca \u0041","quantity":2.5,"ok":false}'
}
owned() {
	printf '%s\n' \
	    '{"item_id":"A","name":"Peca A","lag_1":7,"quantity":4,"date":"2024-06-03","ok":true,"n":null,"x":-1.5e3}' \
	    '{"date":"2024-06-05","item_id":"A","year":1999,"name":"Peca A","quantity":2.5,"ok":false,"rolling_std_7":0}'
}

for opts in "" "--sorted" "--no-fill" "--period week" "--period week --sorted"; do
	expect_success "the four ways give the same bytes (${opts:-defaults})" '
		compact >c.in && blanks >b.in && escapes >e.in && owned >o.in &&
		nc-features '"$opts"' c.in >c && nc-features '"$opts"' b.in >b &&
		nc-features '"$opts"' e.in >e && nc-features '"$opts"' o.in >o &&
		test -s c && cmp_files c b && cmp_files c e && cmp_files c o
	'
done

expect_success 'a compact line is the start of its output line' '
	compact >c.in
	nc-features --no-fill c.in >out
	for i in 1 2; do
		in=$(sed -n ${i}p c.in | sed "s/}\$//")
		got=$(sed -n ${i}p out)
		case $got in "$in",\"year\":*) ;; *) echo "line $i: $got"; exit 1 ;; esac
	done
'

expect_success 'filled and weekly rows put the date and the target in place' '
	compact >c.in && nc-features c.in >days && nc-features --period week c.in >weeks &&
	test "$(jq -c "[.date, .quantity, .filled]" days | tr -d "\n")" = \
	    "[\"2024-06-03\",4,false][\"2024-06-04\",0,true][\"2024-06-05\",2.5,false]" &&
	test "$(jq -c "[.date, .quantity, .item_id, .ok, .x]" weeks)" = "[\"2024-06-03\",6.5,\"A\",false,null]"
'

done_testing
