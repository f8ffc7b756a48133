/* text.c: UTF-8 checks, Latin-1 conversion and number syntax (see text.h). */
#include <limits.h>
#include <math.h>
#include <stdlib.h>

#include "text.h"

int
text_blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return 0;
	return 1;
}

size_t
text_ascii_span(const char *s, size_t len)
{
	size_t i = 0;

	for (; i < len; i++)
		if ((unsigned char)s[i] >= 0x80)
			break;
	return i;
}

/*
 * Length of the well-formed UTF-8 sequence at s (Unicode, Table 3-7), or 0
 * when the bytes at s do not start one.
 */
static size_t
utf8_seq(const unsigned char *s, size_t len)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		if (s[0] == 0xe0)
			lo = 0xa0;
		else if (s[0] == 0xed)
			hi = 0x9f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		if (s[0] == 0xf0)
			lo = 0x90;
		else if (s[0] == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	if (len < n || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t k = 2; k < n; k++)
		if (s[k] < 0x80 || s[k] > 0xbf)
			return 0;
	return n;
}

int
text_utf8_valid(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, n;

	while (i < len) {
		i += text_ascii_span(s + i, len - i);
		if (i == len)
			break;
		if ((n = utf8_seq(u + i, len - i)) == 0)
			return 0;
		i += n;
	}
	return 1;
}

void
text_latin1_append(struct strbuf *sb, const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		size_t run = text_ascii_span(s + i, len - i);
		unsigned char c;
		char two[2];

		strbuf_add(sb, s + i, run);
		if ((i += run) == len)
			break;
		c = (unsigned char)s[i++];
		two[0] = (char)(0xc0 | (c >> 6));
		two[1] = (char)(0x80 | (c & 0x3f));
		strbuf_add(sb, two, 2);
	}
}

void
text_utf8_repair_append(struct strbuf *sb, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		size_t run = text_ascii_span(s + i, len - i), n;

		strbuf_add(sb, s + i, run);
		if ((i += run) == len)
			break;
		if ((n = utf8_seq(u + i, len - i)) == 0) {
			strbuf_add(sb, "\xef\xbf\xbd", 3);
			i++;
		} else {
			strbuf_add(sb, s + i, n);
			i += n;
		}
	}
}

static int
digit(char c)
{
	return c >= '0' && c <= '9';
}

enum text_num
text_number(const char *s, size_t len, int flags, long long *i, double *d)
{
	char buf[64];
	const char sep = (flags & TEXT_DECIMAL_COMMA) ? ',' : '.';
	unsigned long long acc = 0;
	size_t p = 0, n = 0, intdigits = 0, groups = 0, run;
	int neg = 0, real = 0, overflow = 0;

	if (len == 0 || len >= sizeof(buf))
		return TEXT_NONE;
	if (s[0] == '-') {
		buf[n++] = '-';
		neg = 1;
		p++;
	}
	/* The integer part, in groups of three after the first with a comma. */
	for (;;) {
		for (run = 0; p < len && digit(s[p]); p++, run++) {
			unsigned d1 = (unsigned)(s[p] - '0');

			if (acc > (ULLONG_MAX - d1) / 10)
				overflow = 1;
			else
				acc = acc * 10 + d1;
			buf[n++] = s[p];
		}
		if (groups == 0 && run > 1 && s[p - run] == '0')
			return TEXT_NONE;
		if (groups > 0 && run != 3)
			return TEXT_NONE;
		intdigits += run;
		if (sep == ',' && p < len && s[p] == '.') {
			if (groups == 0 && (run == 0 || run > 3 || s[p - run] == '0'))
				return TEXT_NONE;
			groups++;
			p++;
			continue;
		}
		break;
	}
	if (p < len && s[p] == sep) {
		buf[n++] = '.';
		for (p++, run = 0; p < len && digit(s[p]); p++, run++)
			buf[n++] = s[p];
		if (run == 0)
			return TEXT_NONE;
		real = 1;
	}
	if (intdigits == 0 && !real)
		return TEXT_NONE;
	if (p < len && (s[p] == 'e' || s[p] == 'E')) {
		buf[n++] = 'e';
		if (++p < len && (s[p] == '+' || s[p] == '-'))
			buf[n++] = s[p++];
		for (run = 0; p < len && digit(s[p]); p++, run++)
			buf[n++] = s[p];
		if (run == 0)
			return TEXT_NONE;
		real = 1;
	}
	if (p != len)
		return TEXT_NONE;
	if (!real) {
		if (overflow || acc > (unsigned long long)LLONG_MAX + neg)
			return TEXT_NONE;
		*i = neg ? (long long)(0 - acc) : (long long)acc;
		return TEXT_INT;
	}
	buf[n] = '\0';
	*d = strtod(buf, NULL);
	return isfinite(*d) ? TEXT_REAL : TEXT_NONE;
}
