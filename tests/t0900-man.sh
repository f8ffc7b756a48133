#!/bin/sh
# t0900-man: the manual pages lint clean; every program has one, and its -h,
# -V and bad-flag behaviour agree with it.
. "$(dirname "$0")/lib.sh"

MAN=$SRC_DIR/man

for page in "$MAN"/*.[157]; do
	test -f "$page" || continue
	expect_success "mandoc -Tlint clean: ${page##*/}" '
		mandoc -Tlint -Wwarning "'"$page"'" >lint.out 2>&1 || :
		cat lint.out
		test ! -s lint.out
	'
done

expect_success 'nc-records.5 and nc.7 exist' '
	test -f "$MAN/nc-records.5" && test -f "$MAN/nc.7"
'

# synopsis_flags PAGE: the flags of the page SYNOPSIS, one per line, as
# "-x" for each letter of a short flag group and "--name" for a long one.
synopsis_flags() {
	sed -n '/^\.Sh SYNOPSIS/,/^\.Sh /p' "$1" |
	sed -e 's/\\&//g' -e 's/\\-/-/g' |
	awk '{
		for (i = 1; i < NF; i++) {
			if ($i != "Fl") continue
			f = $(i + 1)
			if (f ~ /^-/) {
				sub(/[^A-Za-z0-9_-].*$/, "", f)
				print "-" f
			} else {
				for (j = 1; j <= length(f); j++) {
					c = substr(f, j, 1)
					if (c ~ /[A-Za-z0-9]/) print "-" c
				}
			}
		}
	}' | sort -u
}

# usage_flags FILE: the same, from a usage message ("[-hv] [--sorted]").
usage_flags() {
	tr -s ' []|,=' '\n' <"$1" |
	awk '/^--[A-Za-z0-9]/ { sub(/[^A-Za-z0-9_-].*$/, ""); print; next }
	     /^-[A-Za-z0-9]/ {
		f = substr($0, 2)
		sub(/[^A-Za-z0-9].*$/, "", f)
		for (j = 1; j <= length(f); j++) print "-" substr(f, j, 1)
	     }' | sort -u
}

progs=$(cd "$NC_BIN" && ls)
for p in $progs; do
	test -x "$NC_BIN/$p" || continue
	page=$MAN/$p.1

	expect_success "$p has a man page" 'test -f "'"$page"'"'

	expect_code 0 "$p -h exits 0" '"'"$p"'" -h >h.out 2>h.err'

	expect_success "$p -h prints a usage on stdout" '
		"'"$p"'" -h >h.out 2>/dev/null || :
		head -n 1 h.out | grep -q "usage: '"$p"'"
	'

	expect_success "$p -h lists every flag of its SYNOPSIS" '
		test -f "'"$page"'"
		"'"$p"'" -h >h.out 2>/dev/null || :
		synopsis_flags "'"$page"'" >syn.flags
		usage_flags h.out >use.flags
		test -s syn.flags
		# -h and -V are universal and tested on their own below.
		missing=$(comm -23 syn.flags use.flags | grep -v -e "^-h\$" -e "^-V\$" || :)
		test -z "$missing" || { echo "in SYNOPSIS, not in -h: $missing"; exit 1; }
	'

	expect_success "$p -h fits in 80 columns" '
		"'"$p"'" -h >h.out 2>/dev/null || :
		test -s h.out && LC_ALL=C awk "length(\$0) > 80 { print; bad++ } END { exit bad > 0 }" h.out
	'

	expect_success "$p -V prints a version line" '
		"'"$p"'" -V >v.out
		test "$(wc -l <v.out)" = 1
		grep -Eq "^'"$p"' .*[0-9]+\.[0-9]+" v.out
	'

	expect_code 2 "$p: an unknown flag exits 2" '
		"'"$p"'" --no-such-flag </dev/null >bad.out 2>bad.err
	'

	expect_success "$p: an unknown flag prints the usage on stderr only" '
		"'"$p"'" --no-such-flag </dev/null >bad.out 2>bad.err || :
		test ! -s bad.out
		grep -q "usage: '"$p"'" bad.err
	'
done

# The EXAMPLES of every page run in t0905-t0908 (tests/man-lib.sh).

done_testing
