#!/bin/sh
# t0904-help: -h of every program and script says what each option does,
# as curl -h or git -h would: it exits 0, writes to stdout only, fits in 80
# columns, gives every option of its usage lines a line of its own, and
# every option it names is in the program's man page.
. "$(dirname "$0")/lib.sh"

MAN=$SRC_DIR/man

# flags FILE: the options named in FILE, one a line ("-x", "--name").
flags() {
	tr -s ' \t[]|,=()' '\n' <"$1" |
	awk '/^--[A-Za-z0-9]/ { sub(/[^A-Za-z0-9_-].*$/, ""); print; next }
	     /^-[A-Za-z0-9]/ {
		f = substr($0, 2)
		sub(/[^A-Za-z0-9].*$/, "", f)
		for (j = 1; j <= length(f); j++) print "-" substr(f, j, 1)
	     }' | sort -u
}

progs=$(cd "$NC_BIN" && ls)
for p in $progs nc-daily nc-plot nc-sample-map; do
	case $p in
	nc-daily|nc-plot|nc-sample-map) cmd=$SRC_DIR/scripts/$p ;;
	*) cmd=$p ;;
	esac
	page=$MAN/$p.1

	expect_code 0 "$p -h: exit 0, on stdout only, within 80 columns" \
	    '"$cmd" -h >h.out 2>h.err' '
		test -s h.out
		test ! -s h.err
		head -n 1 h.out | grep -q "^usage: $p"
		LC_ALL=C awk "length(\$0) > 80 { print; bad++ } END { exit bad > 0 }" h.out
	'

	expect_success "$p -h: each option of the usage has a line saying what it does" '
		"$cmd" -h >h.out
		sed "/^\$/q" h.out >usage.part
		sed "1,/^\$/d" h.out >options.part
		test -s options.part
		flags usage.part >usage.flags
		test -s usage.flags
		: >missing
		while read -r f; do
			grep -Eq -- "^ +(-[A-Za-z0-9], )?$f( |,|\[|\$)|^ +-[A-Za-z0-9], $f( |\$)" options.part ||
				echo "$f" >>missing
		done <usage.flags
		cat missing
		test ! -s missing
	'

	expect_success "$p -h: every option it names is in $p(1)" '
		test -f "$page"
		"$cmd" -h >h.out
		flags h.out >help.flags
		mandoc -Tascii "$page" | col -b >page.txt
		: >missing
		while read -r f; do
			grep -Eq -- "(^|[^A-Za-z0-9-])$f([^A-Za-z0-9-]|\$)" page.txt || echo "$f" >>missing
		done <help.flags
		cat missing
		test ! -s missing
	'

	expect_code 2 "$p: a usage error prints the usage lines, not the option list" \
	    '"$cmd" --no-such-flag </dev/null >bad.out 2>bad.err' '
		grep -q "usage: $p" bad.err
		refute grep -q -- "-h, --help" bad.err
	'
done

done_testing
