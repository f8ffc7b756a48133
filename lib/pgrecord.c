/* pgrecord.c: PostgreSQL text values as JSON (see pgrecord.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nc.h"
#include "pgrecord.h"

enum pgrec_kind
pgrec_kind_of(unsigned int oid)
{
	switch (oid) {
	case PGOID_INT2: case PGOID_INT4: case PGOID_INT8: case PGOID_OID:
		return PGREC_INT;
	case PGOID_FLOAT4: case PGOID_FLOAT8:
		return PGREC_FLOAT;
	case PGOID_NUMERIC:
		return PGREC_NUMERIC;
	case PGOID_BOOL:
		return PGREC_BOOL;
	case PGOID_DATE:
		return PGREC_DATE;
	case PGOID_TIMESTAMP: case PGOID_TIMESTAMPTZ:
		return PGREC_TIMESTAMP;
	case PGOID_JSON: case PGOID_JSONB:
		return PGREC_JSON;
	default:
		return PGREC_TEXT;
	}
}

int
pgrec_cols_init(struct pgrec_cols *c, size_t n, const char *const *names,
    const unsigned int *oids, char *why, size_t whysize)
{
	struct strbuf sb = { 0 };

	c->n = n;
	c->key = xcalloc(n, sizeof(*c->key));
	c->keylen = xcalloc(n, sizeof(*c->keylen));
	c->kind = xcalloc(n, sizeof(*c->kind));
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < i; j++) {
			if (strcmp(names[i], names[j]) == 0) {
				snprintf(why, whysize, "duplicate column name '%s'", names[i]);
				strbuf_release(&sb);
				pgrec_cols_release(c);
				return -1;
			}
		}
		sb.len = 0;
		if (i > 0)
			strbuf_addc(&sb, ',');
		ndjson_dump_string(&sb, names[i], strlen(names[i]));
		strbuf_addc(&sb, ':');
		c->key[i] = xstrndup(sb.s, sb.len);
		c->keylen[i] = sb.len;
		c->kind[i] = pgrec_kind_of(oids[i]);
	}
	strbuf_release(&sb);
	return 0;
}

void
pgrec_cols_release(struct pgrec_cols *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->key[i]);
	free(c->key);
	free(c->keylen);
	free(c->kind);
	memset(c, 0, sizeof(*c));
}

void
pgrec_append_key(struct strbuf *sb, const struct pgrec_cols *c, size_t i)
{
	strbuf_add(sb, c->key[i], c->keylen[i]);
}

static int
is_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return n > 0;
}

/* NaN, Infinity, -Infinity: the float and numeric values JSON lacks. */
static int
not_finite(const char *s, size_t len)
{
	return (len == 3 && memcmp(s, "NaN", 3) == 0) ||
	    (len == 8 && memcmp(s, "Infinity", 8) == 0) ||
	    (len == 9 && memcmp(s, "-Infinity", 9) == 0);
}

/* numeric: [-]digits[.digits], as numeric_out() prints it. */
static void
append_numeric(struct strbuf *sb, const char *s, size_t len)
{
	const char *d = s + (len > 0 && s[0] == '-');
	size_t dlen = len - (size_t)(d - s);
	const char *dot = memchr(d, '.', dlen);
	size_t ilen = dot ? (size_t)(dot - d) : dlen;

	if (not_finite(s, len)) {
		strbuf_add(sb, "null", 4);
		return;
	}
	if (!is_digits(d, ilen) || (dot && !is_digits(dot + 1, dlen - ilen - 1))) {
		ndjson_dump_string(sb, s, len);     /* not expected: keep the text */
		return;
	}
	/* Leading zeros are never printed but "0": ilen digits = magnitude. */
	if (ilen > 308) {
		ndjson_dump_string(sb, s, len);
		return;
	}
	strbuf_add(sb, s, len);
	if (dot == NULL && ilen >= 19) {
		/* Past int64 readers such as jansson fail on an integer. */
		int beyond = ilen > 19 ||
		    memcmp(d, s[0] == '-' ? "9223372036854775808" : "9223372036854775807", 19) > 0;

		if (beyond)
			strbuf_add(sb, ".0", 2);
	}
}

/*
 * "YYYY-MM-DD HH:MM:SS[.f][+00]" as RFC 3339 UTC; 0, or -1 when the text
 * has another form (BC, infinity, an offset other than UTC).
 */
static int
append_timestamp(struct strbuf *sb, const char *s, size_t len)
{
	const char *sp = memchr(s, ' ', len);
	size_t dlen, rest, f;

	if (sp == NULL)
		return -1;
	dlen = (size_t)(sp - s);
	if (dlen < 10 || !is_digits(s, dlen - 6) || s[dlen - 6] != '-' ||
	    !is_digits(s + dlen - 5, 2) || s[dlen - 3] != '-' || !is_digits(s + dlen - 2, 2))
		return -1;
	rest = len - dlen - 1;
	if (rest < 8 || !is_digits(sp + 1, 2) || sp[3] != ':' || !is_digits(sp + 4, 2) ||
	    sp[6] != ':' || !is_digits(sp + 7, 2))
		return -1;
	f = 9;                               /* past " HH:MM:SS" */
	if (f < rest + 1 && sp[f] == '.') {
		f++;
		while (f < rest + 1 && sp[f] >= '0' && sp[f] <= '9')
			f++;
	}
	/* What is left must be nothing (timestamp) or UTC (timestamptz). */
	if (!(f == rest + 1 || (rest + 1 - f == 3 && memcmp(sp + f, "+00", 3) == 0)))
		return -1;
	strbuf_addc(sb, '"');
	strbuf_add(sb, s, dlen);
	strbuf_addc(sb, 'T');
	strbuf_add(sb, sp + 1, f - 1);
	strbuf_add(sb, "Z\"", 2);
	return 0;
}

/* JSON text without white space outside its strings. */
static void
append_json(struct strbuf *sb, const char *s, size_t len)
{
	size_t start = 0;
	int instr = 0;

	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (instr) {
			if (c == '\\')
				i++;
			else if (c == '"')
				instr = 0;
		} else if (c == '"') {
			instr = 1;
		} else if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
			strbuf_add(sb, s + start, i - start);
			start = i + 1;
		}
	}
	strbuf_add(sb, s + start, len - start);
}

void
pgrec_append_value(struct strbuf *sb, enum pgrec_kind k, const char *s, size_t len)
{
	if (s == NULL) {
		strbuf_add(sb, "null", 4);
		return;
	}
	switch (k) {
	case PGREC_INT:
		strbuf_add(sb, s, len);
		break;
	case PGREC_FLOAT:
		if (not_finite(s, len))
			strbuf_add(sb, "null", 4);
		else
			strbuf_add(sb, s, len);
		break;
	case PGREC_NUMERIC:
		append_numeric(sb, s, len);
		break;
	case PGREC_BOOL:
		if (len == 1 && s[0] == 't')
			strbuf_add(sb, "true", 4);
		else if (len == 1 && s[0] == 'f')
			strbuf_add(sb, "false", 5);
		else
			ndjson_dump_string(sb, s, len);
		break;
	case PGREC_TIMESTAMP:
		if (append_timestamp(sb, s, len) != 0)
			ndjson_dump_string(sb, s, len);
		break;
	case PGREC_JSON:
		append_json(sb, s, len);
		break;
	case PGREC_DATE:
	case PGREC_TEXT:
		ndjson_dump_string(sb, s, len);
		break;
	}
}
