/*
 * flat.h: a record as a list of top-level fields, each a key and the text
 * of its value, without building a jansson tree.
 *
 * flat_scan() reads the common case fast: one JSON object whose values are
 * strings without escapes, numbers, true, false or null, in valid UTF-8,
 * without repeated keys.  For anything else it returns -1, and the caller
 * parses the line with jansson (ndjson_parse) and fills the view with
 * flat_from_json(), which handles every object.  Either way the fields
 * mean the same: a string's value is its decoded content; a number's is
 * its JSON text; a nested array or object's is its compact JSON text.
 *
 * Ownership: fields point into the line (flat_scan) or into the object and
 * the view's arena (flat_from_json); keep those alive while the view is
 * used.  flat_release() frees what the view allocated: a record with more
 * fields than the caller's array gets a larger one.
 *
 *	struct flat_field buf[64];
 *	struct flat fl;
 *	flat_init(&fl, buf, 64);
 *	if (flat_scan(&fl, line, len) != 0 && (o = ndjson_parse(...)) != NULL)
 *		flat_from_json(&fl, o);
 */
#ifndef NC_FLAT_H
#define NC_FLAT_H

#include <jansson.h>

#include "ndjson.h"

enum flat_type { FLAT_NULL, FLAT_STRING, FLAT_NUMBER, FLAT_TRUE, FLAT_FALSE, FLAT_RAW };

struct flat_field {
	const char *key;
	size_t klen;
	const char *val;
	size_t vlen;
	enum flat_type type;
	unsigned char arena;        /* flat_scan's own: 1 key, 2 value decoded */
};

struct flat {
	struct flat_field *f;
	size_t n, cap;
	struct flat_field *given;   /* the caller's array, used first */
	size_t given_cap;
	struct strbuf arena;        /* numbers and nested values (from_json) */
};

void flat_init(struct flat *fl, struct flat_field *buf, size_t cap);
int flat_scan(struct flat *fl, const char *line, size_t len);
void flat_from_json(struct flat *fl, const json_t *object);
void flat_release(struct flat *fl);

/* Append the field's value as JSON (strings quoted and escaped). */
void flat_dump_value(struct strbuf *sb, const struct flat_field *f);

#endif
