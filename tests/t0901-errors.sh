#!/bin/sh
# t0901-errors: every program and script ends an error as nc(7) promises,
# with one "prog: error: ..." line and the exit status of DESIGN.md: a
# missing input file is a runtime failure (1), a missing configuration file
# a configuration error (2), a bad option a usage error (2, usage on stderr).
. "$(dirname "$0")/lib.sh"

SCRIPTS=$SRC_DIR/scripts
NO=$TRASH/no-such-dir/no-such-file

# quoted ARG...: the arguments as one line of shell words, for a test body.
quoted() {
	for _a in "$@"; do
		printf "'%s' " "$(printf '%s' "$_a" | sed "s/'/'\\\\''/g")"
	done
}

# missing PROG CODE CMD...: CMD (naming $NO) exits CODE, says nothing on
# stdout, and its last stderr line is "PROG: error: ..." naming the file.
missing() {
	_p=$1 _c=$2
	shift 2
	expect_code "$_c" "$_p: a missing file: exit $_c, \"$_p: error: ...\"" \
	    "$(quoted "$@") </dev/null >out 2>err" '
		test ! -s out
		tail -n 1 err | grep -q "^$_p: error: .*no-such-file"
		refute grep -v "^$_p: error: " err
	'
}

missing nc-alert 1 nc-alert "$NO"
missing nc-csv 1 nc-csv "$NO"
missing nc-extract-bcb 1 nc-extract-bcb --file "$NO" --since 2024-01-01 ipca
missing nc-extract-erp 1 nc-extract-erp -q "$NO"
missing nc-extract-inmet 1 nc-extract-inmet "$NO"
missing nc-features 1 nc-features "$NO"
missing nc-forecast 1 nc-forecast "$NO"
missing nc-reorder 1 nc-reorder "$NO"
missing nc-transform 1 nc-transform "$NO"
missing nc-store 1 nc-store ls -d "$NO"
missing nc-serve 2 env NC_API_TOKEN_FILE="$NO" nc-serve -d nc.db -l 127.0.0.1:0
missing nc-daily 2 "$SCRIPTS/nc-daily" --config "$NO"
missing nc-plot 1 "$SCRIPTS/nc-plot" forecast -o x.png "$NO" "$NO"
missing nc-sample-map 1 "$SCRIPTS/nc-sample-map" "$NO"

# A side file that is not the input: the reject file's directory is missing.
expect_code 1 'nc-transform: -r into a missing directory: "nc-transform: error: ..."' \
    'echo "{}" | nc-transform -r "$NO" >out 2>err' '
	grep -q "^nc-transform: error: .*no-such-file" err
'

# bad PROG CMD...: an unknown option exits 2, with "PROG: error: ..." first
# on stderr and then the usage; nothing on stdout.
bad() {
	_p=$1
	shift
	expect_code 2 "$_p: an unknown option: exit 2, \"$_p: error: ...\", usage" \
	    "$(quoted "$@") </dev/null >out 2>err" '
		test ! -s out
		head -n 1 err | grep -q "^$_p: error: .*no-such-flag"
		grep -Eq "^usage: (scripts/)?$_p " err
	'
}

for p in $(cd "$NC_BIN" && ls); do
	bad "$p" "$p" --no-such-flag
done
bad nc-store nc-store load --no-such-flag silver
bad nc-store nc-store dump --no-such-flag silver
bad nc-store nc-store ls --no-such-flag
bad nc-daily "$SCRIPTS/nc-daily" --no-such-flag
bad nc-plot "$SCRIPTS/nc-plot" forecast --no-such-flag
bad nc-sample-map "$SCRIPTS/nc-sample-map" --no-such-flag
bad demo "$SCRIPTS/demo" --no-such-flag
bad demo-daily "$SCRIPTS/demo-daily" --no-such-flag

# A short option that does not exist, and one missing its value.
expect_code 2 'nc-transform -Z: "nc-transform: error: invalid option"' \
    'nc-transform -Z </dev/null 2>err' '
	head -n 1 err | grep -q "^nc-transform: error: invalid option"
'
expect_code 2 'nc-features -k without a value: "nc-features: error: ..."' \
    'nc-features -k </dev/null 2>err' '
	head -n 1 err | grep -q "^nc-features: error: option requires an argument"
'
# A bad value is a usage error too.
expect_code 2 'nc-transform -m abc: "nc-transform: error: -m: not a number"' \
    'nc-transform -m abc </dev/null 2>err' '
	grep -qx "nc-transform: error: -m: not a number: .abc." err
'
expect_code 2 'nc-store with no command: "nc-store: error: ..." and the usage' \
    'nc-store 2>err' '
	head -n 1 err | grep -q "^nc-store: error: give a command"
	grep -q "^usage: nc-store" err
'
expect_code 2 'nc-serve with an argument: "nc-serve: error: unexpected argument"' \
    'nc-serve -d nc.db stray 2>err' '
	head -n 1 err | grep -q "^nc-serve: error: unexpected argument .stray."
'
expect_code 1 'nc-sample-map: input jq cannot parse: "nc-sample-map: error: ..."' \
    'echo "not json" | "$SCRIPTS/nc-sample-map" 2>err' '
	grep -q "^nc-sample-map: error: " err
	refute grep -q "^jq" err
'

done_testing
