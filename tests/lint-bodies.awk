# tests/lint-bodies.awk: finds test bodies whose failures sh would swallow.
#
#	awk -f tests/lint-bodies.awk tests/*.sh
#
# A test body runs under "set -e", which ignores the status of every command
# of an && or || list but the last, and of every "!" pipeline.  So in the
# body of expect_success, and in the checks of expect_code, a failure is
# lost when:
#   - an && list, or a "!" pipeline, is not the body's last statement;
#   - it sits in a loop (only the last pass's status counts);
#   - the body ends with "exit $st" (the checks before it are dropped).
# Each finding is printed as FILE:LINE: WHY; the exit status is 1 if any.
#
# The parser knows single and double quotes, backslashes, comments and
# here-documents, which is all the test files use.  The body of a test is
# the single-quoted word after the title ('...'\''...' joined as one word).

function flush_word() {
	if (inword) {
		words[++nwords] = word
		wline[nwords] = wstart
	}
	inword = 0
	word = ""
}

function start_word() {
	if (!inword) {
		inword = 1
		wstart = FNR
	}
}

function end_command(   i) {
	flush_word()
	for (i = 1; i <= nwords; i++) {
		if (words[i] == "expect_success" && i + 2 <= nwords)
			lint(words[i + 2], wline[i + 2], 1)
		else if (words[i] == "expect_code" && i + 3 <= nwords) {
			# With checks (a fifth word), the third word is the
			# command whose status is tested; only checks must pass.
			if (i + 4 <= nwords && substr(words[i + 4], 1, 1) != ";")
				lint(words[i + 4], wline[i + 4], 1)
			else
				lint(words[i + 3], wline[i + 3], 0)
		}
	}
	nwords = 0
}

function bad(line, why) {
	printf "%s:%d: %s\n", FILENAME, line, why
	found = 1
}

# mask S: S with the text inside quotes replaced by "x", same length.
function mask(s,   o, q, c, i) {
	o = ""
	q = ""
	for (i = 1; i <= length(s); i++) {
		c = substr(s, i, 1)
		if (q != "") {
			if (c == "\\" && q == "\"") {
				o = o "xx"
				i++
				continue
			}
			if (c == q)
				q = ""
			o = o (q == "" ? c : "x")
		} else {
			if (c == "'" || c == "\"")
				q = c
			o = o c
		}
	}
	return o
}

# lint BODY FIRSTLINE CHECKED: CHECKED is 1 for text run under set -e.
function lint(body, first, checked,   n, l, i, s, line, stmt, st, sl, ns, depth, t, last, cont, inner, indq, hd, m, np, piece, pos, k, seg) {
	n = split(body, l, "\n")
	# Logical statements at depth 0: join continuation lines and
	# multi-line compounds (if/for/while/case/{ }/( )).
	ns = 0
	depth = 0
	cont = 0
	indq = 0
	hd = ""
	for (i = 1; i <= n; i++) {
		line = l[i]
		sub(/^[ \t]+/, "", line)
		sub(/[ \t]+$/, "", line)
		if (hd != "") {
			# A here-document in the body: its lines are data.
			if (line == hd)
				hd = ""
			continue
		}
		if (indq) {
			# The rest of a double-quoted string begun above.
			stmt[ns] = stmt[ns] "\n" line
			t = line
			gsub(/\\./, "", t)
			if (gsub(/"/, "", t) % 2) {
				indq = 0
				cont = (line ~ /(&&|\|\||\||\\)$/)
			}
			continue
		}
		if (line == "" || line ~ /^#/)
			continue
		t = line
		gsub(/"[^"]*"/, "\"\"", t)
		if (t ~ /exit \$[A-Za-z_?]/)
			bad(first + i - 1, "\"exit $status\" passes a status through; the checks before it do not count")
		if (!cont && depth == 0) {
			stmt[++ns] = ""
			sl[ns] = first + i - 1
		} else
			stmt[ns] = stmt[ns] "\n"
		# A ";" at depth 0 ends a statement within the line.
		m = mask(line)
		if (depth == 0 && m ~ /;/ && m !~ /;;|[{(]|(^|[ \t;])(for|while|until|if|case|do|then|else|fi|done|esac)([ \t;]|$)/) {
			np = split(m, piece, ";")
			pos = 1
			for (k = 1; k <= np; k++) {
				seg = substr(line, pos, length(piece[k]))
				pos += length(piece[k]) + 1
				if (k > 1) {
					sub(/^[ \t]+/, "", seg)
					if (seg == "")
						continue
					stmt[++ns] = ""
					sl[ns] = first + i - 1
				}
				stmt[ns] = stmt[ns] seg
			}
		} else
			stmt[ns] = stmt[ns] line
		t = " " line " "
		gsub(/"[^"]*"/, "\"\"", t)
		depth += gsub(/[ \t;]do[ \t;]|[ \t;(]if[ \t]|[ \t;]case[ \t]|[ \t(]\{[ \t]|[ \t]\([ \t]/, "&", t)
		depth -= gsub(/[ \t;]done[ \t;|&]|[ \t;]fi[ \t;|&)]|[ \t;]esac[ \t;|&]|[ \t;]\}[ \t;|&]|[ \t;]\)[ \t;|&>]/, "&", t)
		if (depth < 0)
			depth = 0
		cont = (line ~ /(&&|\|\||\||\\)$/)
		t = line
		gsub(/'[^']*'/, "", t)
		gsub(/\\./, "", t)
		if (gsub(/"/, "", t) % 2)
			indq = 1
		if (match(line, /<<-?[ \t]*['"\\]?[A-Za-z_0-9]+/)) {
			hd = substr(line, RSTART, RLENGTH)
			sub(/^<<-?[ \t]*['"\\]?/, "", hd)
		}
	}
	if (!checked)
		return
	for (st = 1; st < ns || (st == ns && ns > 0); st++) {
		last = (st == ns)
		s = stmt[st]
		t = mask(s)
		# The commands inside a loop, between its do and done.
		inner = ""
		if (match(t, /(^|[ \t;&|\n])(for|while|until)[ \t]/)) {
			inner = substr(t, RSTART)
			if (match(inner, /[ \t;\n]do[ \t\n]/))
				inner = substr(inner, RSTART + RLENGTH)
			if (match(inner, /[ \t;\n]done([ \t;|&>]|$)/))
				inner = substr(inner, 1, RSTART)
		}
		if (!last && t ~ /&&/ && s !~ /^(if|while|until)[ \t]/)
			bad(sl[st], "an && list that is not the last statement: a failure before its last command is ignored")
		else if (inner ~ /&&/ && inner !~ /\|\|/)
			bad(sl[st], "an && list in a loop: a failure is ignored")
		if (!last && (s ~ /^![ \t]/ || t ~ /(^|[;&|({][ \t]*)![ \t]/))
			bad(sl[st], "a \"!\" pipeline that is not the last statement: its status is ignored")
	}
}

FNR == 1 {
	if (nwords)
		end_command()
	inword = 0; word = ""; nwords = 0; heredoc = ""; nhd = 0
}

{
	if (heredoc != "") {
		t = $0
		if (hdstrip)
			sub(/^\t+/, "", t)
		if (t == heredoc) {
			heredoc = ""
			if (nhd > 0) {
				heredoc = hdq[1]; hdstrip = hds[1]
				for (k = 1; k < nhd; k++) { hdq[k] = hdq[k + 1]; hds[k] = hds[k + 1] }
				nhd--
			}
		}
		next
	}
	s = $0
	len = length(s)
	joined = 0
	for (p = 1; p <= len; p++) {
		c = substr(s, p, 1)
		if (state == "sq") {
			if (c == "'")
				state = ""
			else
				word = word c
			continue
		}
		if (state == "dq") {
			if (c == "\\") {
				word = word substr(s, p, 2)
				p++
			} else if (c == "\"")
				state = ""
			else
				word = word c
			continue
		}
		if (c == "'") {
			start_word()
			state = "sq"
		} else if (c == "\"") {
			start_word()
			state = "dq"
		} else if (c == "\\") {
			if (p == len) {
				joined = 1
				break
			}
			start_word()
			word = word substr(s, p + 1, 1)
			p++
		} else if (c == "#" && !inword) {
			break
		} else if (c == " " || c == "\t") {
			flush_word()
		} else if (c == ";" || c == "&" || c == "|") {
			flush_word()
			end_command()
		} else if (c == "<" && substr(s, p, 2) == "<<" && !inword) {
			# A here-document: its delimiter, maybe quoted, maybe <<-.
			rest = substr(s, p + 2)
			strip = 0
			if (substr(rest, 1, 1) == "-") {
				strip = 1
				rest = substr(rest, 2)
			}
			sub(/^[ \t]*/, "", rest)
			match(rest, /^['"]?[A-Za-z_0-9]+['"]?/)
			d = substr(rest, RSTART, RLENGTH)
			gsub(/['"]/, "", d)
			pending[++npend] = d
			pstrip[npend] = strip
			p += 1 + strip
		} else {
			start_word()
			word = word c
		}
	}
	if (state == "sq" || state == "dq") {
		word = word "\n"
	} else if (joined) {
		flush_word()
	} else {
		end_command()
		if (npend > 0) {
			heredoc = pending[1]; hdstrip = pstrip[1]
			for (k = 2; k <= npend; k++) { hdq[k - 1] = pending[k]; hds[k - 1] = pstrip[k] }
			nhd = npend - 1
			npend = 0
		}
	}
}

END {
	if (nwords)
		end_command()
	exit found
}
