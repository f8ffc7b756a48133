/*
 * csv_excel.c: cell text for nc-csv --to-csv --excel (see csv_tool.h and
 * nc-csv(1), EXCEL).
 *
 * Excel opens a CSV file with every cell in the General format, which
 * reads the text of a cell as a number, a date or a formula when it can:
 * the item code 000123 becomes the number 123, the CEP 40140-110 or the
 * size 3/8 may become dates, and =HYPERLINK(...) in an item name would be
 * run.  A text value that Excel would read so is written as the formula
 * ="000123", whose value is the text itself (a quote inside is doubled);
 * Excel shows that text, left-aligned, leading zeros and all.  Formulas
 * hold at most 255 characters in a string: longer text of that kind gets
 * a leading apostrophe instead, which keeps it inert but shows.
 *
 * Other text keeps its letters; only a decimal point between digits of a
 * number in it becomes a comma, as the numbers of the other cells do:
 * "cobertura 2.5 dias" -> "cobertura 2,5 dias".  Version-like runs
 * (1.2.3), numbers glued to a letter before them (v1.2), fractions
 * (1.1/2) and ISO dates and timestamps are left as they are.
 */
#include <string.h>

#include "csv_tool.h"

#define EXCEL_MAX_STRING 255   /* characters in a formula's string */

static int
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int
is_alnum(unsigned char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    c == '_' || c >= 0x80;
}

/* "yyyy-mm-dd", alone or starting a timestamp ("...T06:00:00Z"). */
static int
iso_date_text(const char *s, size_t len)
{
	static const char shape[] = "dddd-dd-dd";

	if (len < 10 || (len > 10 && s[10] != 'T' && s[10] != ' '))
		return 0;
	for (size_t i = 0; i < 10; i++)
		if (shape[i] == 'd' ? !is_digit((unsigned char)s[i]) : s[i] != shape[i])
			return 0;
	return 1;
}

/*
 * 1 if Excel's General format could take s for something other than the
 * text: a formula (leading = + - @, or a tab or CR that hides one), or a
 * number, date, time, fraction or percentage (digits among nothing but
 * signs, separators, spaces and an exponent).
 */
static int
excel_would_convert(const char *s, size_t len)
{
	static const char numeric[] = "0123456789+-.,/:%eE $()";
	int digits = 0;

	if (len == 0)
		return 0;
	if (memchr("=+-@\t\r", s[0], 6) != NULL)
		return 1;
	for (size_t i = 0; i < len; i++) {
		if (memchr(numeric, s[i], sizeof(numeric) - 1) == NULL)
			return 0;
		digits += is_digit((unsigned char)s[i]);
	}
	return digits > 0;
}

static size_t
utf8_chars(const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xc0) != 0x80;
	return n;
}

/* s as ="s", quotes doubled. */
static void
add_formula_text(struct strbuf *sb, const char *s, size_t len)
{
	strbuf_add(sb, "=\"", 2);
	for (const char *q; (q = memchr(s, '"', len)) != NULL; ) {
		strbuf_add(sb, s, (size_t)(q - s) + 1);
		strbuf_addc(sb, '"');
		len -= (size_t)(q - s) + 1;
		s = q + 1;
	}
	strbuf_add(sb, s, len);
	strbuf_addc(sb, '"');
}

/*
 * 1 if the '.' at s[i] is the decimal point of a number: digits on both
 * sides, no letter, digit, '.', ',', ':' or '/' glued before the number,
 * and no '/' (1.1/2, an inch and a half), ".digit" or ",digit" after its
 * fraction.
 */
static int
decimal_point(const char *s, size_t len, size_t i)
{
	size_t b = i, e = i + 1;

	if (b == 0 || !is_digit((unsigned char)s[b - 1]) || e >= len ||
	    !is_digit((unsigned char)s[e]))
		return 0;
	while (b > 0 && is_digit((unsigned char)s[b - 1]))
		b--;
	if (b > 0 && (is_alnum((unsigned char)s[b - 1]) || memchr(".,:/", s[b - 1], 4) != NULL))
		return 0;
	while (e < len && is_digit((unsigned char)s[e]))
		e++;
	if (e < len && s[e] == '/')
		return 0;
	if (e + 1 < len && (s[e] == '.' || s[e] == ',') && is_digit((unsigned char)s[e + 1]))
		return 0;
	return 1;
}

void
csv_excel_text(struct strbuf *sb, const char *s, size_t len)
{
	size_t from = 0;

	if (iso_date_text(s, len)) {
		strbuf_add(sb, s, len);
		return;
	}
	if (excel_would_convert(s, len)) {
		if (utf8_chars(s, len) <= EXCEL_MAX_STRING)
			add_formula_text(sb, s, len);
		else {
			strbuf_addc(sb, '\'');
			strbuf_add(sb, s, len);
		}
		return;
	}
	for (const char *p = s; (p = memchr(p, '.', len - (size_t)(p - s))) != NULL; p++) {
		size_t i = (size_t)(p - s);

		if (decimal_point(s, len, i)) {
			strbuf_add(sb, s + from, i - from);
			strbuf_addc(sb, ',');
			from = i + 1;
		}
	}
	strbuf_add(sb, s + from, len - from);
}

int
csv_excel_untext(struct strbuf *sb, const char *s, size_t len)
{
	if (len < 3 || s[0] != '=' || s[1] != '"' || s[len - 1] != '"')
		return 0;
	s += 2;
	len -= 3;
	/* Every quote inside is doubled. */
	for (size_t i = 0; i < len; i++)
		if (s[i] == '"' && (i + 1 == len || s[++i] != '"'))
			return 0;
	sb->len = 0;
	for (size_t i = 0; i < len; i++) {
		strbuf_addc(sb, s[i]);
		i += s[i] == '"';
	}
	return 1;
}
