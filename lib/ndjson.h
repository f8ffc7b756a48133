/*
 * ndjson.h: one JSON object per line, in and out (nc-records(5)).
 *
 * Ownership: ndjson_parse() returns a new reference the caller must
 * json_decref(); ndjson_write() and ndjson_dump() only read the value.
 */
#ifndef NC_NDJSON_H
#define NC_NDJSON_H

#include <stdio.h>
#include <jansson.h>

struct strbuf {
	char *s;
	size_t len, cap;
};

void strbuf_add(struct strbuf *sb, const char *s, size_t n);
void strbuf_addc(struct strbuf *sb, char c);
void strbuf_release(struct strbuf *sb);

/*
 * Parse one line as a JSON object.  On failure return NULL and put a short
 * reason in why ("not a JSON object", "invalid JSON: ...").  Duplicate keys
 * are refused: which one would win is not obvious.
 */
json_t *ndjson_parse(const char *line, size_t len, char *why, size_t whysize);

/*
 * Format d in the fewest significant digits that read back as exactly d
 * (2.35 -> "2.35", 0.1 + 0.2 -> "0.30000000000000004"); an integral value
 * keeps ".0" so that it reads back as a real.  buf needs 32 bytes.
 * Returns the length, or 0 for NaN and infinities, which JSON lacks.
 */
int ndjson_fmt_double(char *buf, double d);
/*
 * The same text by the plain method (the first of %.15g, %.16g, %.17g
 * that strtod reads back), without ndjson_fmt_double's fast paths (cents,
 * lib/shortest.c): the reference those are tested against, and what they
 * fall back to.
 */
int ndjson_fmt_double_plain(char *buf, double d);
/* v in decimal, without printf; returns the length (buf: 24 bytes). */
int ndjson_fmt_long(char *buf, long long v);

/* Append value as compact JSON; a non-finite real becomes null. */
void ndjson_dump(struct strbuf *sb, const json_t *value);

/* Append s as a JSON string, quoted and escaped. */
void ndjson_dump_string(struct strbuf *sb, const char *s, size_t len);

/* Write object as one line, whole, in one write (see nc_write()). */
void ndjson_write(FILE *fp, const json_t *object);

/* A JSON string or number read as a number (numeric strings included):
 * returns 1 and sets *d, 0 if absent/null, -1 if not a number. */
int ndjson_number(const json_t *v, double *d);

#endif
