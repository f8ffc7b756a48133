/* cast.c: SQL-style casts of JSON values (see cast.h). */
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

enum cast_result
cast_string(const json_t *v, char **out)
{
	char buf[64];

	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_NULL:
		return CAST_NULL;
	case JSON_STRING:
		*out = xstrndup(json_string_value(v), json_string_length(v));
		return CAST_OK;
	case JSON_INTEGER:
		snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		break;
	case JSON_REAL: {
		double d = json_real_value(v);

		if (d == floor(d) && fabs(d) < 1e15)
			snprintf(buf, sizeof(buf), "%.0f", d);
		else if (ndjson_fmt_double(buf, d) == 0)
			return CAST_BAD;
		break;
	}
	case JSON_TRUE:
		strcpy(buf, "true");
		break;
	case JSON_FALSE:
		strcpy(buf, "false");
		break;
	default:
		return CAST_BAD;
	}
	*out = xstrdup(buf);
	return CAST_OK;
}

/*
 * The decimal text of a number, whether it came as a JSON number or as a
 * string: a real is written in the fewest digits that read back exactly,
 * which are the digits Spark rounds (it goes through Double.toString).
 */
static enum cast_result
number_text(const json_t *v, char *buf, size_t size)
{
	const char *s;
	size_t len;

	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_NULL:
		return CAST_NULL;
	case JSON_INTEGER:
		snprintf(buf, size, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return CAST_OK;
	case JSON_REAL:
		return ndjson_fmt_double(buf, json_real_value(v)) ? CAST_OK : CAST_BAD;
	case JSON_STRING:
		s = json_string_value(v);
		while (*s == ' ' || *s == '\t')
			s++;
		len = strlen(s);
		while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
			len--;
		if (len == 0 || len >= size)
			return CAST_BAD;
		memcpy(buf, s, len);
		buf[len] = '\0';
		return CAST_OK;
	default:
		return CAST_BAD;
	}
}

enum cast_result
cast_cents(const json_t *v, int precision, long long *cents)
{
	char text[512], digits[512];
	const char *p;
	int neg = 0, ndig = 0, nint = 0, seen_point = 0, any = 0;
	long dp;
	long long c = 0, limit = 1;
	enum cast_result r = number_text(v, text, sizeof(text));

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
cast_int(const json_t *v, long long *out)
{
	double d;
	int r;

	if (v != NULL && json_is_integer(v)) {
		json_int_t i = json_integer_value(v);

		if (i < -2147483648LL || i > 2147483647LL)
			return CAST_RANGE;
		*out = i;
		return CAST_OK;
	}
	r = ndjson_number(v, &d);
	if (r == 0)
		return CAST_NULL;
	if (r < 0)
		return CAST_BAD;
	d = trunc(d);
	if (d < -2147483648.0 || d > 2147483647.0)
		return CAST_RANGE;
	*out = (long long)d;
	return CAST_OK;
}

enum cast_result
cast_date(const json_t *v, long *days)
{
	const char *s;
	long long secs;

	if (v == NULL || json_is_null(v))
		return CAST_NULL;
	if (!json_is_string(v))
		return CAST_BAD;
	s = json_string_value(v);
	if (date_parse(s, days) == 0)
		return CAST_OK;
	if (strlen(s) > 10 && ts_parse(s, 1, &secs) == 0 &&
	    date_parse_n(s, 10, days) == 0)
		return CAST_OK;
	return CAST_BAD;
}

enum cast_result
cast_timestamp(const json_t *v, long long *secs)
{
	if (v == NULL || json_is_null(v))
		return CAST_NULL;
	if (!json_is_string(v))
		return CAST_BAD;
	return ts_parse(json_string_value(v), 1, secs) == 0 ? CAST_OK : CAST_BAD;
}
