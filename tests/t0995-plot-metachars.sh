#!/bin/sh
# t0995-plot-metachars: no value from the records (nor from the command
# line) is ever gnuplot script text: shell and gnuplot metacharacters in an
# item's id or name, the forecast's period and level, the reorder record's
# fields and the target name draw a chart and run nothing.
. "$(dirname "$0")/lib.sh"

PLOT=$SRC_DIR/scripts/nc-plot
nl='
'
# records P: a history, a forecast and a reorder record whose text fields
# all hold P (the target field is named P too).
records() {
	jq -nc --arg p "$1" '
		{item_id: ("X " + $p), date: "2026-01-01", ($p): 2},
		{item_id: ("X " + $p), date: "2026-01-02", ($p): 5}' >hist.ndjson
	jq -nc --arg p "$1" '
		range(1; 4) as $h | {item_id: ("X " + $p), item_name: ("N " + $p),
		date: "2026-01-0\($h + 2)", horizon: $h, forecasted_demand: 3, ci_lower: 1,
		ci_upper: 5, ci_level: ("95 " + $p), period: $p}' >fc.ndjson
	jq -nc --arg p "$1" '{item_id: ("X " + $p), as_of: "2026-01-02", current_stock: 20,
		reorder_point: ("R " + $p), safety_stock: 4, recommended_order_qty: ("Q " + $p),
		lead_time_days: $p, stockout_date: $p}' >reorder.ndjson
}

# plot_both P: both charts of P's records, in a fresh directory, with
# gnuplot run for real: each must be a PNG, and nothing may have run.
plot_both() {
	rm -rf run && mkdir run && cd run || return 1
	records "$1"
	"$PLOT" forecast -t "$1" -o f.png hist.ndjson fc.ndjson
	"$PLOT" reorder -o r.png fc.ndjson reorder.ndjson
	"$PLOT" forecast -t "$1" -w item_id="X $1" -o w.png hist.ndjson fc.ndjson
	for f in f.png r.png w.png; do
		test "$(od -An -tx1 -N8 "$f" | tr -d " \n")" = 89504e470d0a1a0a ||
			{ echo "$f is not a PNG"; return 1; }
	done
	if ls | grep -q hit; then echo "a command ran:"; ls; return 1; fi
	cd ..
}

# The payloads: each tries to run "touch hit" through one metacharacter.
for p in \
	'`touch hit`' \
	"a${nl}!touch hit${nl}set title \"x" \
	'a" . system("touch hit") . "' \
	"a' . system('touch hit') . '" \
	'a\" . system("touch hit") . "\' \
	'$(touch hit) ${x} $0' \
	'a"; system("touch hit"); print "' \
	'@ARG0 @GPVAL_TERM' \
	'{/=40 a} ^{b} _c &{d} ~e' \
	'| touch hit' \
	"a${nl}${nl}system \"touch hit\"${nl}"; do
	expect_success "metacharacters are inert: $(printf '%s' "$p" | tr '\n' '~')" \
		'plot_both "$p"'
done

# A gnuplot that only records its script and its arguments: the script is
# constant text, and the values come as arguments.
mkdir stub
cat >stub/gnuplot <<'EOF'
#!/bin/sh
test "$1" = -c || exit 0
cat "$2" >"$STUB_DIR/script.gp"
shift 2
printf '%s\n' "$@" >"$STUB_DIR/args"
printf '\211PNG\r\n\032\n'
EOF
chmod +x stub/gnuplot
STUB_DIR=$TRASH/stub
export STUB_DIR

expect_success 'the gnuplot script holds no value from the records' '
	records "MARK\`touch hit\`"
	PATH=$STUB_DIR:$PATH "$PLOT" forecast -t MARK -o s.png hist.ndjson fc.ndjson
	if grep MARK stub/script.gp; then exit 1; fi
	grep -q "X MARK\`touch hit\` - N MARK" stub/args
	PATH=$STUB_DIR:$PATH "$PLOT" reorder -o s.png fc.ndjson reorder.ndjson
	if grep MARK stub/script.gp; then exit 1; fi
	grep -q "order Q MARK" stub/args
'
expect_success 'an output name starting with | is a file, not a command' '
	records x
	"$PLOT" forecast -o "|touch hit" hist.ndjson fc.ndjson
	test -s "|touch hit" && test ! -e hit
'

done_testing
