/* cast.c: SQL-style casts of record fields (see cast.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cast.h"
#include "date.h"
#include "nc.h"
#include "ndjson.h"

const char *
cast_strerror(enum cast_result r, const char *what)
{
	switch (r) {
	case CAST_BAD:
		return what;
	case CAST_RANGE:
		return "out of range";
	case CAST_NULL:
		return "missing";
	case CAST_OK:
		break;
	}
	return "ok";
}

static int
is_null(const struct flat_field *f)
{
	return f == NULL || f->type == FLAT_NULL;
}

/* A JSON number's text that is a plain integer (no '.', no exponent). */
static int
integer_text(const char *s, size_t len)
{
	return memchr(s, '.', len) == NULL && memchr(s, 'e', len) == NULL &&
	    memchr(s, 'E', len) == NULL;
}

/* Significant digits of a number's text, up to its exponent. */
static int
significant_digits(const char *s)
{
	int n = 0, started = 0;

	for (; *s && *s != 'e' && *s != 'E'; s++) {
		if (*s < '0' || *s > '9')
			continue;
		if (*s != '0')
			started = 1;
		n += started;
	}
	return n;
}

/* Copy s into buf (of size) as a C string with the spaces and tabs around
 * it removed; 0 if it is empty or does not fit. */
static int
trimmed(const char *s, size_t len, char *buf, size_t size)
{
	while (len > 0 && (*s == ' ' || *s == '\t'))
		s++, len--;
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len == 0 || len >= size)
		return 0;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return 1;
}

enum cast_result
cast_string_f(const struct flat_field *f, char buf[64], const char **s, size_t *len)
{
	if (is_null(f))
		return CAST_NULL;
	switch (f->type) {
	case FLAT_STRING:
		*s = f->val;
		*len = f->vlen;
		return CAST_OK;
	case FLAT_NUMBER:
		if (integer_text(f->val, f->vlen)) {
			if (f->vlen >= 64)
				return CAST_BAD;
			memcpy(buf, f->val, f->vlen);
			buf[f->vlen] = '\0';
			/* "-0" is the integer 0 */
			if (strcmp(buf, "-0") == 0)
				strcpy(buf, "0");
		} else {
			char tmp[400];
			double d;

			if (f->vlen >= sizeof(tmp))
				return CAST_BAD;
			memcpy(tmp, f->val, f->vlen);
			tmp[f->vlen] = '\0';
			d = strtod(tmp, NULL);
			/* A whole number without ".0": ids from spreadsheets. */
			if (d == floor(d) && fabs(d) < 1e15)
				snprintf(buf, 64, "%.0f", d == 0 ? 0.0 : d);
			else if (ndjson_fmt_double(buf, d) == 0)
				return CAST_BAD;
		}
		break;
	case FLAT_TRUE:
		strcpy(buf, "true");
		break;
	case FLAT_FALSE:
		strcpy(buf, "false");
		break;
	default:
		return CAST_BAD;
	}
	*s = buf;
	*len = strlen(buf);
	return CAST_OK;
}

/*
 * The decimal text of a number field or a numeric string.  A real JSON
 * number is written in the fewest digits that read back exactly, which are
 * the digits Spark rounds (it goes through Double.toString).
 */
static enum cast_result
number_text(const struct flat_field *f, char *buf, size_t size)
{
	if (is_null(f))
		return CAST_NULL;
	if (f->type == FLAT_STRING)
		return trimmed(f->val, f->vlen, buf, size) ? CAST_OK : CAST_BAD;
	if (f->type != FLAT_NUMBER || f->vlen >= size)
		return CAST_BAD;
	memcpy(buf, f->val, f->vlen);
	buf[f->vlen] = '\0';
	/*
	 * Up to 15 significant digits the text is already that shortest form
	 * (DBL_DIG: such a decimal survives the trip through a double).
	 */
	if (integer_text(f->val, f->vlen) || significant_digits(buf) <= 15)
		return CAST_OK;
	if (ndjson_fmt_double(buf, strtod(buf, NULL)) == 0)
		return CAST_BAD;
	return CAST_OK;
}

enum cast_result
cast_cents_f(const struct flat_field *f, int precision, long long *cents)
{
	char text[512], digits[512];
	const char *p;
	int neg = 0, ndig = 0, nint = 0, seen_point = 0, any = 0;
	long dp;
	long long c = 0, limit = 1;
	enum cast_result r = number_text(f, text, sizeof(text));

	if (r != CAST_OK)
		return r;
	p = text;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	/* digits = integer digits (leading zeros dropped), then fraction. */
	for (; (*p >= '0' && *p <= '9') || *p == '.'; p++) {
		if (*p == '.') {
			if (seen_point)
				return CAST_BAD;
			seen_point = 1;
			continue;
		}
		any = 1;
		if (!seen_point && ndig == 0 && *p == '0')
			continue;
		digits[ndig++] = *p;
		if (!seen_point)
			nint++;
	}
	if (!any)
		return CAST_BAD;
	dp = nint;	/* value = 0.digits x 10^dp */
	if (*p == 'e' || *p == 'E') {
		char *end;
		long e = strtol(p + 1, &end, 10);

		if (end == p + 1 || *end != '\0' || e > 100000 || e < -100000)
			return CAST_BAD;
		dp += e;
		p = end;
	}
	if (*p != '\0')
		return CAST_BAD;
	for (int i = 0; i < precision; i++)
		limit *= 10;
	/* Cents are the digits before position dp + 2; the next one rounds. */
	for (long i = 0; i < dp + 2; i++) {
		c = c * 10 + (i < ndig ? digits[i] - '0' : 0);
		if (c >= limit)
			return CAST_RANGE;
	}
	if (dp + 2 >= 0 && dp + 2 < ndig && digits[dp + 2] >= '5')
		c++;
	if (c >= limit)
		return CAST_RANGE;
	*cents = neg ? -c : c;
	return CAST_OK;
}

enum cast_result
cast_int_f(const struct flat_field *f, long long *out)
{
	char text[400], *end;
	double d;
	enum cast_result r = number_text(f, text, sizeof(text));

	if (r != CAST_OK)
		return r;
	if (f->type == FLAT_NUMBER && integer_text(f->val, f->vlen)) {
		long long i = strtoll(text, NULL, 10);	/* at most 18 digits */

		if (i < -2147483648LL || i > 2147483647LL)
			return CAST_RANGE;
		*out = i;
		return CAST_OK;
	}
	/* Decimal only: strtod would also take "0x1p3", "inf" and "nan". */
	if (strspn(text, "+-.0123456789") == 0 || strpbrk(text, "xXiInN") != NULL)
		return CAST_BAD;
	d = strtod(text, &end);
	if (*end != '\0' || !isfinite(d))
		return CAST_BAD;
	d = trunc(d);
	if (d < -2147483648.0 || d > 2147483647.0)
		return CAST_RANGE;
	*out = (long long)d;
	return CAST_OK;
}

enum cast_result
cast_date_f(const struct flat_field *f, long *days)
{
	char buf[64];
	long long secs;

	if (is_null(f))
		return CAST_NULL;
	if (f->type != FLAT_STRING)
		return CAST_BAD;
	if (date_parse_n(f->val, f->vlen, days) == 0)
		return CAST_OK;
	if (f->vlen > 10 && f->vlen < sizeof(buf)) {
		memcpy(buf, f->val, f->vlen);
		buf[f->vlen] = '\0';
		if (ts_parse(buf, 1, &secs) == 0 && date_parse_n(buf, 10, days) == 0)
			return CAST_OK;
	}
	return CAST_BAD;
}

enum cast_result
cast_timestamp_f(const struct flat_field *f, long long *secs)
{
	char buf[64];

	if (is_null(f))
		return CAST_NULL;
	if (f->type != FLAT_STRING || f->vlen >= sizeof(buf))
		return CAST_BAD;
	memcpy(buf, f->val, f->vlen);
	buf[f->vlen] = '\0';
	return ts_parse(buf, 1, secs) == 0 ? CAST_OK : CAST_BAD;
}

/* The json_t forms: the value as a flat field, then the same cast. */
struct jfield {
	struct flat_field f;
	struct flat fl;
	struct flat_field buf[1];
};

static const struct flat_field *
jfield(const json_t *v, struct jfield *j)
{
	json_t *o;

	if (v == NULL)
		return NULL;
	o = json_object();
	json_object_set_new(o, "v", json_deep_copy(v));
	flat_init(&j->fl, j->buf, 1);
	flat_from_json(&j->fl, o);
	j->f = j->fl.f[0];
	/* The string may live in o: keep a copy in the arena. */
	if (j->f.type == FLAT_STRING) {
		size_t off = j->fl.arena.len;

		strbuf_add(&j->fl.arena, j->f.val, j->f.vlen);
		j->f.val = j->fl.arena.s + off;
	}
	json_decref(o);
	return &j->f;
}

#define JCAST(call) do { \
	struct jfield j; \
	const struct flat_field *f = jfield(v, &j); \
	enum cast_result r = call; \
	if (f != NULL) \
		flat_release(&j.fl); \
	return r; \
} while (0)

enum cast_result
cast_string(const json_t *v, char **out)
{
	struct jfield j;
	const struct flat_field *f = jfield(v, &j);
	char buf[64];
	const char *s;
	size_t len;
	enum cast_result r = cast_string_f(f, buf, &s, &len);

	if (r == CAST_OK)
		*out = xstrndup(s, len);
	if (f != NULL)
		flat_release(&j.fl);
	return r;
}

enum cast_result
cast_cents(const json_t *v, int precision, long long *cents)
{
	JCAST(cast_cents_f(f, precision, cents));
}

enum cast_result
cast_int(const json_t *v, long long *out)
{
	JCAST(cast_int_f(f, out));
}

enum cast_result
cast_date(const json_t *v, long *days)
{
	JCAST(cast_date_f(f, days));
}

enum cast_result
cast_timestamp(const json_t *v, long long *secs)
{
	JCAST(cast_timestamp_f(f, secs));
}
