/*
 * staging.h: the seed's stg_items model applied to one flat record
 * (nc-transform(1)): cast, clean, validate, derive.
 *
 * Ownership: staging_init() copies the key names; staging_release() frees
 * them.  staging_record() only reads the record and the options, so worker
 * threads may share one struct staging.
 */
#ifndef NC_STAGING_H
#define NC_STAGING_H

#include "date.h"
#include "flat.h"
#include "ndjson.h"

#define STAGING_MAX_OWNED 32

struct staging {
	char **keys;            /* series key fields, item_id first */
	int nkeys;
	long since;             /* date >= since */
	long long low_stock;    /* LOW_STOCK when stock <= low_stock */
	char now[TS_BUFSZ];     /* loaded_at */
	/* The fields staging writes: the seed's columns, the other key
	 * fields, then the derived ones. */
	const char *owned[STAGING_MAX_OWNED];
	size_t owned_len[STAGING_MAX_OWNED];
	int nowned;
};

struct staged {
	size_t line_off, line_len;  /* the output record, '\n' included */
	size_t key_off, key_len;    /* "k1\037k2\037YYYY-MM-DD" */
	long long created;          /* created_at, when has_created */
	int has_created;
};

/*
 * keys: comma-separated, must start with item_id.  Returns 0, or -1 with
 * a message in why.
 */
int staging_init(struct staging *st, const char *keys, char *why, size_t size);
void staging_release(struct staging *st);

/*
 * Stage fl: append the output line and then the key to out and describe
 * them in *res.  Returns NULL, or the reason to reject the record (written
 * in why; out is left as it was).
 */
const char *staging_record(const struct staging *st, const struct flat *fl,
    struct strbuf *out, struct staged *res, char *why, size_t size);

#endif
