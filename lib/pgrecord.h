/*
 * pgrecord.h: PostgreSQL result rows, in the server's text format, as
 * NDJSON records (nc-extract-erp(1), TYPES).  Free of libpq: the caller
 * passes each column's type OID (PQftype) and each value's text
 * (PQgetvalue, or NULL for SQL NULL), so other PostgreSQL readers
 * (nc-store) can reuse it.
 *
 *	struct pgrec_cols c;
 *	pgrec_cols_init(&c, n, names, oids, why, sizeof why);   // once per result
 *	for each row:
 *		sb.len = 0;
 *		strbuf_addc(&sb, '{');
 *		for (i = 0; i < n; i++) {
 *			pgrec_append_key(&sb, &c, i);
 *			pgrec_append_value(&sb, c.kind[i], text_or_NULL, len);
 *		}
 *		strbuf_add(&sb, "}\n", 2);
 *	pgrec_cols_release(&c);
 *
 * The session must run with TimeZone 'UTC' and DateStyle 'ISO' so that
 * timestamps arrive as "2024-12-02 13:45:00.5+00".
 * Ownership: pgrec_cols_init() copies the names; nothing else is kept.
 */
#ifndef NC_PGRECORD_H
#define NC_PGRECORD_H

#include <stddef.h>

#include "ndjson.h"

enum pgrec_kind {
	PGREC_TEXT,         /* anything else: a JSON string of its text */
	PGREC_INT,          /* int2, int4, int8, oid */
	PGREC_FLOAT,        /* float4, float8: NaN and infinities become null */
	PGREC_NUMERIC,      /* the exact digits; see pgrec_append_value() */
	PGREC_BOOL,
	PGREC_DATE,         /* "YYYY-MM-DD" */
	PGREC_TIMESTAMP,    /* timestamp and timestamptz: RFC 3339 UTC */
	PGREC_JSON          /* json, jsonb: embedded, made compact */
};

/* Some type OIDs of pg_type.dat, stable across server versions. */
enum {
	PGOID_BOOL = 16, PGOID_INT8 = 20, PGOID_INT2 = 21, PGOID_INT4 = 23,
	PGOID_TEXT = 25, PGOID_OID = 26, PGOID_JSON = 114, PGOID_FLOAT4 = 700,
	PGOID_FLOAT8 = 701, PGOID_VARCHAR = 1043, PGOID_DATE = 1082,
	PGOID_TIMESTAMP = 1114, PGOID_TIMESTAMPTZ = 1184, PGOID_NUMERIC = 1700,
	PGOID_JSONB = 3802
};

enum pgrec_kind pgrec_kind_of(unsigned int oid);

struct pgrec_cols {
	size_t n;
	char **key;          /* ',"name":' (no comma for the first column) */
	size_t *keylen;
	enum pgrec_kind *kind;
};

/*
 * Prepare the n columns of a result.  Two columns of the same name would
 * make a record with duplicate keys: that is refused, -1 with a reason in
 * why ("duplicate column name 'x'"); otherwise 0.
 */
int pgrec_cols_init(struct pgrec_cols *c, size_t n, const char *const *names,
    const unsigned int *oids, char *why, size_t whysize);
void pgrec_cols_release(struct pgrec_cols *c);

/* Append column i's key: ',"name":' or, for the first, '"name":'. */
void pgrec_append_key(struct strbuf *sb, const struct pgrec_cols *c, size_t i);

/*
 * Append the JSON of a value of kind k given as the server's text (NULL:
 * SQL NULL, written null).  INT and FLOAT as the server prints them
 * ("NaN", "Infinity" become null); NUMERIC as its exact digits ("12.50"
 * stays 12.50), with ".0" added to an integer beyond the 64-bit range so
 * that readers take it as a real, and as a string when it is beyond the
 * range of a double (1e308) or null when NaN or infinite; BOOL "t"/"f" as
 * true/false; TIMESTAMP "2024-12-02 13:45:00.5+00" as
 * "2024-12-02T13:45:00.5Z" (a timestamp without time zone is taken as
 * UTC); JSON without its insignificant white space; DATE, TEXT and any
 * text that does not have the expected form (e.g. "infinity", BC years)
 * as a JSON string.
 */
void pgrec_append_value(struct strbuf *sb, enum pgrec_kind k, const char *text, size_t len);

#endif
