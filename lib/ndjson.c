/* ndjson.c: parse and write NDJSON records with jansson. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ndjson.h"
#include "shortest.h"
#include "nc.h"

void
strbuf_add(struct strbuf *sb, const char *s, size_t n)
{
	if (sb->len + n + 1 > sb->cap) {
		size_t cap = sb->cap ? sb->cap : 256;

		while (cap < sb->len + n + 1)
			cap *= 2;
		sb->s = xrealloc(sb->s, cap);
		sb->cap = cap;
	}
	memcpy(sb->s + sb->len, s, n);
	sb->len += n;
	sb->s[sb->len] = '\0';
}

void
strbuf_addc(struct strbuf *sb, char c)
{
	strbuf_add(sb, &c, 1);
}

void
strbuf_release(struct strbuf *sb)
{
	free(sb->s);
	memset(sb, 0, sizeof(*sb));
}

json_t *
ndjson_parse(const char *line, size_t len, char *why, size_t whysize)
{
	json_error_t e;
	json_t *v;

	v = json_loadb(line, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &e);
	if (v == NULL) {
		if (why != NULL)
			snprintf(why, whysize, "invalid JSON: %s at column %d", e.text, e.column);
		return NULL;
	}
	if (!json_is_object(v)) {
		json_decref(v);
		if (why != NULL)
			snprintf(why, whysize, "not a JSON object");
		return NULL;
	}
	return v;
}

int
ndjson_fmt_long(char *buf, long long v)
{
	unsigned long long u = v < 0 ? -(unsigned long long)v : (unsigned long long)v;
	char tmp[24];
	int n = 0, len = 0;

	do
		tmp[n++] = (char)('0' + u % 10);
	while ((u /= 10) > 0);
	if (v < 0)
		buf[len++] = '-';
	while (n > 0)
		buf[len++] = tmp[--n];
	buf[len] = '\0';
	return len;
}

/* c/100 as "12.34", "12.3" or "12.0". */
static int
fmt_cents(char *buf, long long c)
{
	unsigned long long u = c < 0 ? -(unsigned long long)c : (unsigned long long)c;
	int len = 0;

	if (c < 0)
		buf[len++] = '-';
	len += ndjson_fmt_long(buf + len, (long long)(u / 100));
	buf[len++] = '.';
	buf[len++] = (char)('0' + u / 10 % 10);
	if (u % 10 != 0)
		buf[len++] = (char)('0' + u % 10);
	buf[len] = '\0';
	return len;
}

int
ndjson_fmt_double(char *buf, double d)
{
	int n;

	if (!isfinite(d))
		return 0;
	/*
	 * Fast path for money and counts: d is n/100 for an integer n below
	 * 2^53/100, and two such decimals never share a double, so n's digits
	 * with the zeros trimmed are the shortest that read back.
	 */
	if (fabs(d) < 1e13) {
		double x = d * 100.0;
		long long c = (long long)(x < 0 ? x - 0.5 : x + 0.5);

		if ((double)c / 100.0 == d)
			return fmt_cents(buf, c);
	}
	if ((n = shortest_fmt_exact(buf, d)) > 0)
		return n;
	return ndjson_fmt_double_plain(buf, d);
}

int
ndjson_fmt_double_plain(char *buf, double d)
{
	int n = 0;

	if (!isfinite(d))
		return 0;
	if (d == 0)
		d = 0.0;        /* no negative zero, as the fast path */
	for (int prec = 15; prec <= 17; prec++) {
		n = snprintf(buf, 32, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	if (strpbrk(buf, ".eE") == NULL) {
		memcpy(buf + n, ".0", 3);
		n += 2;
	}
	return n;
}

void
ndjson_dump_string(struct strbuf *sb, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t start = 0;

	strbuf_addc(sb, '"');
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[7];
		size_t elen = 2;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		strbuf_add(sb, s + start, i - start);
		start = i + 1;
		esc[0] = '\\';
		switch (c) {
		case '"':  esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			elen = 6;
		}
		strbuf_add(sb, esc, elen);
	}
	strbuf_add(sb, s + start, len - start);
	strbuf_addc(sb, '"');
}

void
ndjson_dump(struct strbuf *sb, const json_t *v)
{
	char num[32];
	int n;

	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		const char *key;
		json_t *val;
		int first = 1;

		strbuf_addc(sb, '{');
		json_object_foreach((json_t *)v, key, val) {
			if (!first)
				strbuf_addc(sb, ',');
			first = 0;
			ndjson_dump_string(sb, key, strlen(key));
			strbuf_addc(sb, ':');
			ndjson_dump(sb, val);
		}
		strbuf_addc(sb, '}');
		break;
	}
	case JSON_ARRAY: {
		size_t i;
		json_t *val;

		strbuf_addc(sb, '[');
		json_array_foreach((json_t *)v, i, val) {
			if (i > 0)
				strbuf_addc(sb, ',');
			ndjson_dump(sb, val);
		}
		strbuf_addc(sb, ']');
		break;
	}
	case JSON_STRING:
		ndjson_dump_string(sb, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		n = snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		strbuf_add(sb, num, (size_t)n);
		break;
	case JSON_REAL:
		n = ndjson_fmt_double(num, json_real_value(v));
		if (n == 0)
			strbuf_add(sb, "null", 4);
		else
			strbuf_add(sb, num, (size_t)n);
		break;
	case JSON_TRUE:
		strbuf_add(sb, "true", 4);
		break;
	case JSON_FALSE:
		strbuf_add(sb, "false", 5);
		break;
	case JSON_NULL:
		strbuf_add(sb, "null", 4);
		break;
	}
}

void
ndjson_write(FILE *fp, const json_t *object)
{
	static struct strbuf sb;

	sb.len = 0;
	ndjson_dump(&sb, object);
	strbuf_addc(&sb, '\n');
	nc_write(fp, sb.s, sb.len);
}

int
ndjson_number(const json_t *v, double *d)
{
	const char *s;
	char *end;

	if (v == NULL || json_is_null(v))
		return 0;
	if (json_is_number(v)) {
		*d = json_number_value(v);
		return 1;
	}
	if (!json_is_string(v))
		return -1;
	s = json_string_value(v);
	while (*s == ' ' || *s == '\t')
		s++;
	/* Decimal only: strtod would also take "0x1p3", "inf" and "nan". */
	if (strspn(s, "+-.0123456789") == 0 || strpbrk(s, "xXiInN") != NULL)
		return -1;
	*d = strtod(s, &end);
	while (*end == ' ' || *end == '\t')
		end++;
	if (*end != '\0' || !isfinite(*d))
		return -1;
	return 1;
}
